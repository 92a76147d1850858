import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/server/db";
import { AppError, isUniqueViolation } from "@/lib/core/errors";
import { parseRepositoryUrl } from "@/lib/core/source/repository-url";
import { parseSproutYml, SPROUT_YML, SproutYmlError, stageParameters, type TSproutConfig } from "@/lib/core/source/sprout-yml";
import { generateWebhookSecret } from "@/lib/core/source/webhooks";
import { analyzeTemplate, MAX_TEMPLATE_BYTES } from "@/lib/core/templates";
import type { TAppPreview, TServiceNode, TSproutYmlProblem } from "@/lib/core/contracts";
import { requireSecretKey, seal } from "@/lib/server/crypto/secret-box";
import { recordAudit } from "@/lib/server/data/audit";
import { serviceEdges } from "@/lib/server/data/app-graph";
import { openMirror, type Mirror } from "@/lib/server/source/mirror";
import { SourceError } from "@/lib/server/source/git";
import type { TActor } from "@/lib/server/context";
import { stageJson } from "./create-app";
import { webhookPaths } from "./repository";

// A new app from its repository: sprout.yml is read from the default branch and shown (services,
// their dependency graph, or its problems by file and line) before anything is created; creating
// makes the app with dev (deploys its default branch on push) and prod (does not), connected, and
// answers the webhook secret this once. The repository is read through a mirror of its own, removed after.

const short = (sha: string) => sha.slice(0, 7);

async function withPreviewMirror<T>(url: string, fn: (mirror: Mirror) => Promise<T>): Promise<T> {
  const parsed = parseRepositoryUrl(url);
  if (!parsed.ok) throw new AppError("bad_request", `repository.url: ${parsed.reason}`);
  const mirror = openMirror({ app: `preview-${randomBytes(6).toString("hex")}`, url: parsed.url });
  try {
    return await fn(mirror);
  } catch (e) {
    if (e instanceof SourceError) throw new AppError("bad_request", `repository.url: Sprout could not read ${parsed.url}: ${e.message}`);
    throw e;
  } finally {
    await mirror.remove().catch(() => {});
  }
}

/** The services as the app page draws them; a template that is in the repository is read for its exports and imports. */
async function servicesOf(mirror: Mirror, sha: string, config: TSproutConfig): Promise<NonNullable<TAppPreview["services"]>> {
  const out = [];
  for (const s of config.services) {
    const node: TServiceNode & { path: string; build: string | null } = {
      name: s.name,
      path: s.path,
      build: s.build,
      liveIn: null,
      artifact: null,
      exports: [],
      imports: [],
      dependsOn: s.dependsOn,
      error: null,
    };
    const text = await mirror.readFile(sha, s.templatePath, { maxBytes: MAX_TEMPLATE_BYTES }).catch(() => null);
    if (text === null) {
      if (!s.build)
        node.error = `${s.templatePath} is not in the repository: sprout.yml's template for ${s.name} must name the file it deploys.`;
    } else {
      try {
        const analysis = analyzeTemplate(text, {
          stage: "dev",
          stackName: `${s.name}-dev`,
          service: s.name,
          parameters: stageParameters(config, "dev", s.name),
        });
        node.exports = Object.keys(analysis.exports).sort();
        node.imports = analysis.imports;
      } catch (e) {
        node.error = `${s.templatePath}: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    out.push(node);
  }
  return out;
}

/** What an app made from `url` would hold; problems in sprout.yml are answered with their file and line, not thrown. */
export async function previewRepository({ url }: { url: string }): Promise<TAppPreview> {
  return withPreviewMirror(url, async (mirror) => {
    await mirror.sync();
    const defaultBranch = await mirror.defaultBranch();
    const sha = await mirror.resolve(defaultBranch);
    const info = await mirror.commitInfo(sha);
    const repository = { url: mirror.url, defaultBranch, commit: { sha, message: info.message, author: info.author } };
    const problem = (p: Omit<TSproutYmlProblem, "file">) => ({
      repository,
      services: null,
      edges: [],
      problems: [{ file: SPROUT_YML, ...p }],
    });
    const text = await mirror.readFile(sha, SPROUT_YML);
    if (text === null)
      return problem({
        line: null,
        field: null,
        message: `is missing at the root of ${defaultBranch} (${short(sha)}): add one that lists the services (path, template, build).`,
      });
    let config: TSproutConfig;
    try {
      config = parseSproutYml(text);
    } catch (e) {
      if (!(e instanceof SproutYmlError)) throw e;
      return {
        repository,
        services: null,
        edges: [],
        problems: e.issues.map((i) => ({ file: e.file, line: i.line, field: i.field, message: i.reason })),
      };
    }
    const services = await servicesOf(mirror, sha, config);
    return { repository, services, edges: serviceEdges(services), problems: [] };
  });
}

const formatProblem = (p: TSproutYmlProblem) =>
  `${p.file}${p.line === null ? "" : ` line ${p.line}`}: ${p.field ? `${p.field}: ` : ""}${p.message}`;

/** `POST /api/apps { name, repository: { url } }`: the app, with dev and prod on the default branch, connected to its repository. */
export async function createAppFromRepository({ name, url, actor }: { name: string; url: string; actor: TActor }) {
  requireSecretKey(); // before the repository is read: its webhook secret is sealed
  const preview = await previewRepository({ url });
  if (preview.problems.length)
    throw new AppError(
      "bad_request",
      `${SPROUT_YML} has problems; fix them and try again:\n${preview.problems.map(formatProblem).join("\n")}`,
      {
        problems: preview.problems,
      },
    );
  const branch = preview.repository.defaultBranch;
  const webhookSecret = generateWebhookSecret();
  try {
    const app = await db.$transaction(async (tx) => {
      const app = await tx.app.create({
        data: {
          name,
          repositoryUrl: preview.repository.url,
          webhookSecret: seal(webhookSecret),
          stages: {
            create: [
              { name: "dev", position: 0, branch, autoDeploy: true },
              { name: "prod", position: 1, branch, autoDeploy: false },
            ],
          },
          services: { create: preview.services!.map((s) => ({ name: s.name })) },
        },
        include: { stages: { orderBy: { position: "asc" } } },
      });
      await recordAudit(tx, {
        appId: app.id,
        actor: actor.label,
        action: "app.create",
        target: app.name,
        detail: { stages: ["dev", "prod"], repository: preview.repository.url, branch, services: preview.services!.map((s) => s.name) },
      });
      await recordAudit(tx, { appId: app.id, actor: actor.label, action: "repository.connect", target: preview.repository.url });
      return app;
    });
    return {
      app: { name: app.name, stages: app.stages.map(stageJson) },
      repository: { url: preview.repository.url, webhooks: webhookPaths(app.name), defaultBranch: branch },
      services: preview.services!.map((s) => s.name),
      webhookSecret,
    };
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `An app named "${name}" already exists.`);
    throw e;
  }
}
