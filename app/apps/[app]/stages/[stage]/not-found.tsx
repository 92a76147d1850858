import Link from "next/link";
import type { Metadata } from "next";
import { latestBuilds } from "@/lib/server/data/list-apps";
import { getStageOf } from "@/lib/server/data/lookup";
import { currentPath, pageAccess } from "@/lib/server/page-access";
import { AppError } from "@/lib/core/errors";
import { NotFoundMessage } from "@/components/not-found-message";

export const metadata: Metadata = { title: "Build not found" };

const BUILD_PATH = /^\/apps\/([a-z0-9-]+)\/stages\/([a-z0-9-]+)\/builds\/([^/?#]+)/;
const LINK =
  "inline-flex min-h-11 items-center rounded-lg px-3.5 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 sm:min-h-0";

async function stageOf(app: string, stage: string) {
  try {
    const { app: appRef } = await pageAccess(app);
    const st = await getStageOf(appRef, stage);
    return { latest: (await latestBuilds([st.id])).get(st.id) ?? null };
  } catch (e) {
    if (e instanceof AppError && e.code === "not_found") return null;
    throw e;
  }
}

// An unknown build of a known stage: say which builds exist instead of a dead end. Anything else
// unknown here (the stage itself) gets the usual 404.
export default async function StageNotFound() {
  const match = BUILD_PATH.exec(await currentPath());
  if (!match) return <NotFoundMessage />;
  const [, app, stage, number] = match as unknown as [string, string, string, string];
  const found = await stageOf(app, stage);
  if (!found) return <NotFoundMessage />;
  const { latest } = found;
  const history = `/apps/${app}/stages/${stage}`;
  return (
    <div className="mx-auto max-w-lg py-16 text-center" data-testid="not-found">
      <p className="text-sm font-semibold text-emerald-800">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">
        No build #{number.slice(0, 20)} in {stage}
        {latest ? `; the latest is #${latest.number}` : ""}
      </h1>
      <p className="mt-3 text-sm text-slate-600">
        {latest
          ? `Builds of ${app}/${stage} are numbered 1 to ${latest.number}.`
          : `${app}/${stage} has no builds yet: its first deploy will be #1.`}
      </p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        {latest && (
          <Link href={`${history}/builds/${latest.number}`} className={`${LINK} bg-slate-900 text-white shadow-xs hover:bg-slate-700`}>
            Open #{latest.number}
          </Link>
        )}
        <Link href={history} className={`${LINK} border border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}>
          All builds of {stage}
        </Link>
      </div>
    </div>
  );
}
