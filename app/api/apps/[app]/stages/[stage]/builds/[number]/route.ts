import { handle } from "@/lib/http";
import { getBuild } from "@/lib/data/get-build";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

export const GET = (_req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage, number } = await params;
    return getBuild(app, stage, number);
  });
