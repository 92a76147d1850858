"use client";

import Link from "next/link";
import type { TAppDetail } from "@/lib/core/contracts";
import { SMALL_BUTTON } from "@/components/ui/button";

/** An app with nothing deployed yet: what to do next, connect its repository or deploy with curl. */
export function EmptyApp({ app }: { app: TAppDetail }) {
  const stage = app.stages[0]?.name ?? "dev";
  const base = `"$SPROUT_URL/api/apps/${app.name}/stages/${stage}`;
  const auth = `-H "Authorization: Bearer $SPROUT_TOKEN"`;
  const curl = app.repository
    ? `curl -X POST ${base}/deploy" ${auth}`
    : `curl -X POST ${base}/builds" ${auth} -H 'content-type: application/json' \\\n  -d '{"commit":{"sha":"0123abc","message":"First deploy"},"services":[{"name":"api","template":{"Resources":{"T":{"Type":"AWS::SNS::Topic"}}}}]}'`;
  return (
    <section
      aria-labelledby="next-step-title"
      className="mb-10 rounded-xl border border-blue-200 bg-blue-50/60 p-5"
      data-testid="empty-app"
    >
      <h2 id="next-step-title" className="text-sm font-semibold text-slate-900">
        Next step: your first deploy
      </h2>
      {app.repository ? (
        <p className="mt-1 text-sm text-slate-700">
          {app.name} builds from <code className="font-mono text-xs">{app.repository.url}</code>. Push to the branch {stage} tracks (with
          the repository&apos;s webhook set up, {stage} deploys it), press Deploy on the stage&apos;s page, or deploy from a script:
        </p>
      ) : (
        <p className="mt-1 text-sm text-slate-700">
          <Link href={`/apps/${app.name}/settings`} className="font-medium text-blue-700 hover:underline">
            Connect a repository
          </Link>{" "}
          with a sprout.yml, and every push builds and deploys. Or deploy a CloudFormation template from a script, with an API token made on
          the same page:
        </p>
      )}
      <div className="mt-3 flex items-start gap-2">
        <pre
          className="min-w-0 flex-1 overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100"
          data-testid="curl-deploy"
        >
          {curl}
        </pre>
        <button type="button" className={SMALL_BUTTON} onClick={() => void navigator.clipboard?.writeText(curl)}>
          Copy
        </button>
      </div>
    </section>
  );
}
