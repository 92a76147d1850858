import { NextResponse } from "next/server";
import { errorResponse, readBytes } from "@/lib/server/http";
import { receiveWebhook } from "@/lib/server/operations/receive-webhook";

export const dynamic = "force-dynamic";

/** GitLab's webhook: no session or token, its token (X-Gitlab-Token) is the credential. Bodies are capped at 1 MB. */
export async function POST(req: Request, { params }: RouteContext<"/api/webhooks/gitlab/[app]">) {
  try {
    const body = await readBytes(req, 1024 * 1024);
    const answer = await receiveWebhook({ provider: "gitlab", app: (await params).app, headers: req.headers, body });
    return NextResponse.json(answer.body, { status: answer.status });
  } catch (e) {
    return errorResponse(e);
  }
}
