import { handle, readJson } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { deploy } from "@/lib/server/operations/deploy";
import { listBuilds } from "@/lib/server/data/list-builds";
import { queryOf } from "@/lib/core/query-params";

type TContext = { params: Promise<{ app: string; stage: string }> };

export const GET = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage } = await params;
    await authorize(req, app, "view");
    return listBuilds(app, stage, queryOf(req.url));
  });

/** Queue a deploy build from a manifest (DESIGN.md): 201 with the queued build and its plan. */
export const POST = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage } = await params;
    const actor = await authorize(req, app, "deploy");
    return { build: await deploy(app, stage, await readJson(req), actor.label) };
  }, 201);
