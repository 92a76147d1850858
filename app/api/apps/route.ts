import { handle, readJson } from "@/lib/http";
import { createApp } from "@/lib/operations/create-app";
import { listApps } from "@/lib/data/list-apps";

export const dynamic = "force-dynamic"; // reads the database on every request, never at build time

export const GET = () => handle(() => listApps());

export const POST = async (req: Request) => handle(async () => createApp(await readJson(req)), 201);
