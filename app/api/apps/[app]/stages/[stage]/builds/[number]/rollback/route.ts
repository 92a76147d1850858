import { NextResponse } from "next/server";
import { withApp } from "@/lib/server/http";
import { ZRollbackBody } from "@/lib/core/validation";
import { rollback } from "@/lib/server/operations/rollback";

// 201 with the new rollback build; 200 with the same build when that rollback is already queued or
// running. The body is optional: `{ reason }` is kept with the build and audited; `{ services }`
// restores only those services (and the ones that must move with them).
export const POST = withApp(
  "/api/apps/[app]/stages/[stage]/builds/[number]/rollback",
  "rollback",
  async ({ app, actor, params, body }) => {
    const { build, created } = await rollback({ app, ...params, actor, reason: body.reason, services: body.services });
    return NextResponse.json({ build }, { status: created ? 201 : 200 });
  },
  { body: ZRollbackBody, optionalBody: true },
);
