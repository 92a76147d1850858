// Apps built from git in the tests: a real bare repository in a temp folder, the app connected to
// it, and webhook deliveries signed as GitHub and GitLab sign them, posted to the real routes.
import crypto from "node:crypto";
import { db } from "@/lib/server/db";
import { GITHUB_HEADERS, GITLAB_HEADERS, signGithubBody } from "@/lib/core/source/webhooks";
import { connectRepository } from "@/lib/server/operations/repository";
import { POST as githubPost } from "@/app/api/webhooks/github/[app]/route";
import { POST as gitlabPost } from "@/app/api/webhooks/gitlab/[app]/route";
import { appRef, TEST_ACTOR } from "./context";
import { createOrigin, tempDir, type TFiles, type TOrigin } from "./git-repo";

/** A service that exports (or imports) `Topic-${stage}`, taking `seconds` in the sandbox. */
export const template = (opts: { exports?: boolean; imports?: boolean; seconds?: number; version?: string } = {}) =>
  JSON.stringify(
    {
      Metadata: { Sprout: { deploySeconds: opts.seconds ?? 0.1 } },
      Resources: {
        Fn: { Type: "AWS::Lambda::Function", Properties: { Handler: "index.main", Description: opts.version ?? "v1" } },
        ...(opts.imports
          ? {
              P: {
                Type: "AWS::SSM::Parameter",
                Properties: { Name: "/p/${stage}", Type: "String", Value: { "Fn::ImportValue": "Topic-${stage}" } },
              },
            }
          : {}),
      },
      ...(opts.exports ? { Outputs: { Topic: { Value: { Ref: "Fn" }, Export: { Name: "Topic-${stage}" } } } } : {}),
    },
    null,
    2,
  );

/** The repository every source test starts from: producer built by a script, consumer a plain template. */
export const INITIAL: TFiles = {
  "sprout.yml": `services:
  producer:
    path: services/producer
    build: ./build.sh
    template: .sprout/template.json
  consumer:
    path: services/consumer
    template: template.json
    dependsOn: [producer]
`,
  "services/producer/build.sh": {
    text: `#!/bin/sh\nset -e\necho "packaging producer for $SPROUT_STAGE at $SPROUT_COMMIT (#$SPROUT_BUILD_NUMBER)"\nmkdir -p .sprout\ncp template.src.json .sprout/template.json\n`,
    mode: 0o755,
  },
  "services/producer/template.src.json": template({ exports: true }),
  "services/consumer/template.json": template({ imports: true }),
};

export interface TSourceApp {
  name: string;
  origin: TOrigin;
  secret: string;
  /** the first commit's sha */
  first: string;
}

/** An app with stages dev (tracks main, autoDeploy) and prod (tracks main, no autoDeploy), connected to a new repository. */
export async function sourceApp(name: string, files: TFiles = INITIAL): Promise<TSourceApp> {
  const origin = await createOrigin(await tempDir(name));
  const first = await origin.commit(files, "Initial services");
  await db.app.create({
    data: {
      name,
      stages: {
        create: [
          { name: "dev", position: 0, branch: "main", autoDeploy: true },
          { name: "prod", position: 1, branch: "main", autoDeploy: false },
        ],
      },
    },
  });
  const { webhookSecret } = await connectRepository({ app: await appRef(name), url: origin.url, actor: TEST_ACTOR });
  return { name, origin, secret: webhookSecret, first };
}

/** GitHub's push payload for `sha` on `branch` (trimmed to what is read). */
export const githubPush = (sha: string, branch = "main", message = "A change") => ({
  ref: `refs/heads/${branch}`,
  before: "0".repeat(40),
  after: sha,
  created: false,
  deleted: false,
  head_commit: { id: sha, message, author: { name: "Ada Lovelace", email: "ada@example.com" } },
  repository: { name: "notes", full_name: "acme/notes" },
});

type TDelivery = { event?: string; delivery?: string; signature?: string | null; secret?: string };

/** Posts `payload` as GitHub does: the raw bytes, X-Hub-Signature-256 over them, an X-GitHub-Delivery id. */
export async function postGithub(app: TSourceApp, payload: unknown, o: TDelivery = {}) {
  const raw = new TextEncoder().encode(JSON.stringify(payload));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    [GITHUB_HEADERS.event]: o.event ?? "push",
    [GITHUB_HEADERS.delivery]: o.delivery ?? crypto.randomUUID(),
  };
  const signature = o.signature === undefined ? signGithubBody(o.secret ?? app.secret, raw) : o.signature;
  if (signature !== null) headers[GITHUB_HEADERS.signature] = signature;
  return answer(githubPost, `/api/webhooks/github/${app.name}`, app.name, raw, headers);
}

/** GitLab's Push Hook payload for `sha` on `branch` (trimmed to what is read). */
export const gitlabPush = (sha: string, branch = "main", message = "A change") => ({
  object_kind: "push",
  ref: `refs/heads/${branch}`,
  before: "0".repeat(40),
  after: sha,
  checkout_sha: sha,
  commits: [{ id: sha, message, author: { name: "Ada Lovelace", email: "ada@example.com" } }],
  project: { path_with_namespace: "acme/notes" },
});

type TGitlabDelivery = { event?: string; token?: string | null; idempotencyKey?: string | null; delivery?: string | null };

/**
 * Posts `payload` as GitLab does: X-Gitlab-Token carries the secret, Idempotency-Key (the same on a
 * retry) and X-Gitlab-Event-UUID name the delivery; null leaves a header out.
 */
export async function postGitlab(app: TSourceApp, payload: unknown, o: TGitlabDelivery = {}) {
  const raw = new TextEncoder().encode(JSON.stringify(payload));
  const headers: Record<string, string> = { "content-type": "application/json", [GITLAB_HEADERS.event]: o.event ?? "Push Hook" };
  const optional: [string, string | null | undefined, string | null][] = [
    [GITLAB_HEADERS.idempotencyKey, o.idempotencyKey, crypto.randomUUID()],
    [GITLAB_HEADERS.delivery, o.delivery, crypto.randomUUID()],
    [GITLAB_HEADERS.token, o.token, app.secret],
  ];
  for (const [name, value, otherwise] of optional) {
    const v = value === undefined ? otherwise : value;
    if (v !== null) headers[name] = v;
  }
  return answer(gitlabPost, `/api/webhooks/gitlab/${app.name}`, app.name, raw, headers);
}

type TRoute = (req: Request, ctx: never) => Promise<Response>;

async function answer(route: TRoute, path: string, app: string, raw: Uint8Array, headers: Record<string, string>) {
  const res = await route(new Request(`http://localhost${path}`, { method: "POST", headers, body: Buffer.from(raw) }), {
    params: Promise.resolve({ app }),
  } as never);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
