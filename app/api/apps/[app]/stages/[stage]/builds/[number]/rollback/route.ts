import { NextResponse } from "next/server";
import { withApp } from "@/lib/server/http";
import { rollback } from "@/lib/server/operations/rollback";

// 201 with the new rollback build; 200 with the same build when that rollback is already queued or running.
export const POST = withApp("/api/apps/[app]/stages/[stage]/builds/[number]/rollback", "rollback", async ({ app, actor, params }) => {
  const { build, created } = await rollback({ app, ...params, actor });
  return NextResponse.json({ build }, { status: created ? 201 : 200 });
});
