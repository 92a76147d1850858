import { handle } from "@/lib/http";
import { getApp } from "@/lib/data/get-app";

type TContext = { params: Promise<{ app: string }> };

export const GET = (_req: Request, { params }: TContext) => handle(async () => getApp((await params).app));
