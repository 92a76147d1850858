import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { rollback } from "@/lib/server/operations/rollback";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

// 201 with the new rollback build; 200 with the same build when that rollback is already queued or running.
export async function POST(req: Request, { params }: TContext) {
  try {
    const { app, stage, number } = await params;
    const actor = await authorize(req, app, "rollback");
    const { build, created } = await rollback(app, stage, number, actor.label);
    return NextResponse.json({ build }, { status: created ? 201 : 200 });
  } catch (e) {
    return errorResponse(e);
  }
}
