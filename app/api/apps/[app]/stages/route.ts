import { handle, readJson } from "@/lib/http";
import { createStage } from "@/lib/operations/stages";

type TContext = { params: Promise<{ app: string }> };

export const POST = async (req: Request, { params }: TContext) =>
  handle(async () => createStage((await params).app, await readJson(req)), 201);
