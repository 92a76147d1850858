import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/http";
import { rollback } from "@/lib/operations/rollback";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

// 201 with the new rollback build; 200 with the same build when that rollback is already queued or running.
export async function POST(_req: Request, { params }: TContext) {
  try {
    const { app, stage, number } = await params;
    const { build, created } = await rollback(app, stage, number, "api");
    return NextResponse.json({ build }, { status: created ? 201 : 200 });
  } catch (e) {
    return errorResponse(e);
  }
}
