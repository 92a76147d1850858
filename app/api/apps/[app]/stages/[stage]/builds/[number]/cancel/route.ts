import { handle } from "@/lib/http";
import { cancelBuild } from "@/lib/operations/cancel-build";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

export const POST = (_req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage, number } = await params;
    return { build: await cancelBuild(app, stage, number) };
  });
