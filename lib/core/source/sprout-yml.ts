// sprout.yml: the services of a repository (folder, build command, template, dependencies) and
// per-stage parameter values. Every problem is reported with the file, its line, the field, what
// is wrong and how to fix it. Pure: no Node, Prisma or Next.
import { LineCounter, isAlias, isMap, isScalar, parseDocument, visit } from "yaml";
import type { Document } from "yaml";
import { z } from "zod";
import { SLUG_RE } from "@/lib/core/domain";
import { joinRepoPath, normalizeRepoPath } from "./repo-path";
import { SproutYmlError, formatField, lineOf, unknownKeyReason, type TPath, type TSproutYmlIssue } from "./sprout-yml-issues";

export { SproutYmlError, formatIssue, type TSproutYmlIssue } from "./sprout-yml-issues";

export const SPROUT_YML = "sprout.yml";
export const SPROUT_YML_MAX_BYTES = 256 * 1024;
/** How many alias expansions the file may make: a few shared blocks, never a "billion laughs". */
export const SPROUT_YML_MAX_ALIASES = 100;
const MAX_SERVICES = 500;
const MAX_STAGES = 200;
const MAX_PARAMETERS = 200; // CloudFormation's own limit per template
const MAX_BUILD_LENGTH = 8192;

export interface TSproutService {
  name: string;
  /** Folder of the service, normalized and relative to the repository root ("." for the root). */
  path: string;
  /** Shell command run in `path`, or null when the service has nothing to build. */
  build: string | null;
  /** The template as written, relative to `path`. */
  template: string;
  /** The template's path from the repository root (normalized; always inside the repository). */
  templatePath: string;
  dependsOn: string[];
}

export type TParameters = Record<string, string>;

export interface TSproutConfig {
  /** In the order of the file. */
  services: TSproutService[];
  /** stage name -> service name -> parameter values. Read it through `stageParameters`. */
  stages: Record<string, Record<string, TParameters>>;
}

// --- shape ---------------------------------------------------------------------------------------

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
function describe(v: unknown): string {
  if (v === null) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return typeof v === "string" ? JSON.stringify(clip(v)) : String(v);
}
const shaped =
  (what: string, example: string) =>
  (iss: { code?: string; input?: unknown }): string | undefined => {
    if (iss.code !== "invalid_type") return undefined;
    return iss.input === undefined ? `is required: ${what}, e.g. ${example}` : `must be ${what} (got ${describe(iss.input)})`;
  };

const SLUG_RULE = "lowercase letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters";
const ZSlugKey = (what: string) =>
  z.string().superRefine((v, ctx) => {
    if (!SLUG_RE.test(v)) ctx.addIssue({ code: "custom", message: `${what} "${clip(v)}" is not valid: use ${SLUG_RULE}` });
  });

const ZServicePath = z
  .string({ error: shaped("a folder relative to the repository root", "services/billing-api") })
  .superRefine((v, ctx) => {
    const n = normalizeRepoPath(v);
    const climbs = v.split("/").includes("..");
    if (v.trim() === "") ctx.addIssue({ code: "custom", message: 'must not be empty: use "." for the repository root' });
    else if (!n.ok || climbs) {
      const why =
        n.ok || n.reason.startsWith("must stay") || n.reason.includes("absolute")
          ? "must be a relative path inside the repository"
          : n.reason;
      ctx.addIssue({ code: "custom", message: `${why} (got ${JSON.stringify(clip(v))})` });
    }
  });

const ZService = z.strictObject(
  {
    path: ZServicePath,
    build: z
      .string({ error: shaped("a shell command", "npm run package") })
      .max(MAX_BUILD_LENGTH, `must be at most ${MAX_BUILD_LENGTH} characters: move a long script into a file of the repository`)
      .refine((v) => v.trim() !== "", "must not be empty: remove the key if the service has nothing to build")
      .nullable()
      .optional(),
    template: z
      .string({ error: shaped("the template's path relative to the service's path", ".sprout/template.json") })
      .refine((v) => v.trim() !== "", "must not be empty: name the template file, e.g. .sprout/template.json"),
    dependsOn: z
      .array(z.string({ error: shaped("a service name", "notes-api") }), { error: shaped("a list of service names", "[notes-api]") })
      .optional(),
  },
  { error: shaped("a mapping with the service's path and template", "{ path: services/billing-api, template: .sprout/template.json }") },
);

const ZParameterValue = z.union([z.string(), z.number(), z.boolean()], {
  error: (iss) => `must be a string, number or boolean (got ${describe(iss.input)}); a list parameter takes one comma-separated string`,
});
const ZStage = z.strictObject(
  {
    services: z.record(
      z.string(),
      z.strictObject(
        {
          parameters: z.record(z.string(), ZParameterValue, {
            error: shaped("a mapping of parameter names to values", "{ TopicName: purchases }"),
          }),
        },
        { error: shaped("a mapping with the service's parameters", "{ parameters: { TopicName: purchases } }") },
      ),
      { error: shaped("a mapping of service names to their settings", "{ billing-api: { parameters: { TopicName: purchases } } }") },
    ),
  },
  { error: shaped("a mapping with the stage's services", "{ services: { billing-api: { parameters: { TopicName: purchases } } } }") },
);

const ZSproutYml = z.strictObject(
  {
    services: z.record(ZSlugKey("service name"), ZService, {
      error: shaped(
        "a mapping of service names to their settings",
        "{ billing-api: { path: services/billing-api, template: template.json } }",
      ),
    }),
    stages: z
      .record(ZSlugKey("stage name"), ZStage, {
        error: shaped("a mapping of stage names to their settings", "{ prod: { services: ... } }"),
      })
      .optional(),
  },
  { error: (iss) => (iss.code === "invalid_type" ? "must be a mapping with a services: key listing the services" : undefined) },
);
type TRawSproutYml = z.infer<typeof ZSproutYml>;

// --- parse ---------------------------------------------------------------------------------------

/**
 * Parses and validates sprout.yml. Throws a SproutYmlError listing every problem found (YAML
 * syntax first; then shape; then how services refer to each other).
 */
export function parseSproutYml(text: string, file: string = SPROUT_YML): TSproutConfig {
  const fail = (issues: TSproutYmlIssue[]): never => {
    throw new SproutYmlError(file, issues);
  };
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > SPROUT_YML_MAX_BYTES)
    fail([
      {
        line: null,
        field: null,
        reason: `is ${Math.ceil(bytes / 1024)} KB, over the limit of ${SPROUT_YML_MAX_BYTES / 1024} KB: keep only services and stage parameters in it`,
      },
    ]);

  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const syntax = [...doc.errors, ...doc.warnings].map((e) => ({
    line: lc.linePos(e.pos[0]).line,
    field: null,
    reason: `${e.code === "DUPLICATE_KEY" ? "a key appears twice in the same mapping" : e.message.replace(/\.$/, "")}: fix the YAML syntax`,
  }));
  if (syntax.length) fail(syntax);
  if (doc.contents === null)
    fail([
      {
        line: 1,
        field: null,
        reason: "is empty: list the services, e.g. services: { billing-api: { path: services/billing-api, template: template.json } }",
      },
    ]);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: SPROUT_YML_MAX_ALIASES });
  } catch (e) {
    let aliasLine: number | null = null;
    visit(doc, { Alias: (_k, n) => ((aliasLine = n.range ? lc.linePos(n.range[0]).line : null), visit.BREAK) });
    const reason = /alias count/i.test(String(e))
      ? `expands YAML aliases more than ${SPROUT_YML_MAX_ALIASES} times: write the values out instead of nesting aliases`
      : `${String((e as Error).message ?? e).replace(/\.$/, "")}: fix the YAML alias`;
    fail([{ line: aliasLine, field: null, reason }]);
  }

  const parsed = ZSproutYml.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((iss): TSproutYmlIssue[] => {
      if (iss.code === "unrecognized_keys")
        return iss.keys.map((key) => {
          const path = [...iss.path, key];
          return { line: lineOf(doc, lc, path), field: formatField(iss.path), reason: unknownKeyReason(key, iss.path) };
        });
      const message = iss.code === "invalid_key" ? (iss.issues[0]?.message ?? iss.message) : iss.message;
      return [{ line: lineOf(doc, lc, iss.path), field: formatField(iss.path), reason: message }];
    });
    fail(issues);
  }
  const raw = parsed.data as TRawSproutYml;
  const issues: TSproutYmlIssue[] = [];
  const at = (path: TPath, reason: string) => issues.push({ line: lineOf(doc, lc, path), field: formatField(path), reason });
  const config = resolve(raw, doc, at);
  if (issues.length) fail(issues);
  return config;
}

// --- meaning -------------------------------------------------------------------------------------

function resolve(raw: TRawSproutYml, doc: Document, at: (path: TPath, reason: string) => void): TSproutConfig {
  const names = fileOrder(doc, raw.services);
  if (names.length === 0)
    at(["services"], "must list at least one service, e.g. billing-api: { path: services/billing-api, template: template.json }");
  if (names.length > MAX_SERVICES) at(["services"], `lists ${names.length} services, over the limit of ${MAX_SERVICES}`);

  const services: TSproutService[] = [];
  for (const name of names) {
    const s = raw.services[name]!;
    const path = normalizeRepoPath(s.path);
    const template = joinRepoPath(path.ok ? path.path : ".", s.template);
    if (path.ok && !template.ok) at(["services", name, "template"], `${template.reason} (got ${JSON.stringify(clip(s.template))})`);
    else if (template.ok && template.path === ".")
      at(["services", name, "template"], `must name a file, not a folder (got ${JSON.stringify(clip(s.template))})`);
    const dependsOn: string[] = [];
    (s.dependsOn ?? []).forEach((dep, i) => {
      const path: TPath = ["services", name, "dependsOn", i];
      if (dep === name) at(path, `a service cannot depend on itself: remove "${dep}"`);
      else if (!Object.hasOwn(raw.services, dep)) at(path, `names no service of this file: "${clip(dep)}" (services: ${names.join(", ")})`);
      else if (dependsOn.includes(dep)) at(path, `lists "${dep}" twice: keep one`);
      else dependsOn.push(dep);
    });
    services.push({
      name,
      path: path.ok ? path.path : s.path,
      build: s.build ?? null,
      template: s.template,
      templatePath: template.ok ? template.path : s.template,
      dependsOn,
    });
  }
  const cycle = findCycle(services);
  if (cycle)
    at(
      ["services", cycle[0]!, "dependsOn"],
      `services depend on each other in a cycle (${cycle.join(" -> ")}): remove one of these dependencies`,
    );

  const stages: TSproutConfig["stages"] = {};
  const stageNames = Object.keys(raw.stages ?? {});
  if (stageNames.length > MAX_STAGES) at(["stages"], `lists ${stageNames.length} stages, over the limit of ${MAX_STAGES}`);
  for (const stage of stageNames) {
    const perService: Record<string, TParameters> = {};
    for (const [service, settings] of Object.entries(raw.stages![stage]!.services)) {
      const base: TPath = ["stages", stage, "services", service];
      if (!Object.hasOwn(raw.services, service)) {
        at(base, `names no service of this file: "${clip(service)}" (services: ${names.join(", ")})`);
        continue;
      }
      const entries = Object.entries(settings.parameters);
      if (entries.length > MAX_PARAMETERS)
        at([...base, "parameters"], `lists ${entries.length} parameters, over CloudFormation's limit of ${MAX_PARAMETERS}`);
      const parameters: TParameters = {};
      for (const [key, value] of entries) {
        if (!/^[A-Za-z0-9]{1,255}$/.test(key)) {
          at([...base, "parameters", key], `"${clip(key)}" is not a CloudFormation parameter name: use letters and digits only`);
          continue;
        }
        parameters[key] = typeof value === "string" ? value : (scalarSource(doc, [...base, "parameters", key]) ?? String(value));
      }
      perService[service] = parameters;
    }
    stages[stage] = perService;
  }
  return { services, stages };
}

/** The services' names in the order of the file (object keys put "123" before "abc"). */
function fileOrder(doc: Document, services: Record<string, unknown>): string[] {
  const node = doc.get("services", true);
  const keys = isMap(node) ? node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : "")) : [];
  const ordered = keys.filter((k) => Object.hasOwn(services, k));
  return ordered.length === Object.keys(services).length ? ordered : Object.keys(services);
}

/** A number or boolean as it is written (`1.10` stays "1.10", not "1.1"). */
function scalarSource(doc: Document, path: TPath): string | null {
  let node = doc.getIn(path, true) as unknown;
  if (isAlias(node)) node = node.resolve(doc);
  return isScalar(node) && typeof node.source === "string" ? node.source : null;
}

function findCycle(services: readonly TSproutService[]): string[] | null {
  const deps = new Map(services.map((s) => [s.name, s.dependsOn]));
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const walk = (name: string): string[] | null => {
    if (state.get(name) === "done") return null;
    if (state.get(name) === "open") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "open");
    stack.push(name);
    for (const dep of deps.get(name) ?? []) {
      const found = walk(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(name, "done");
    return null;
  };
  for (const s of services) {
    const found = walk(s.name);
    if (found) return found;
  }
  return null;
}

/** The parameter values sprout.yml gives `service` on `stage` (an empty object when none). */
export function stageParameters(config: TSproutConfig, stage: string, service: string): TParameters {
  const perService = Object.hasOwn(config.stages, stage) ? config.stages[stage]! : {};
  return Object.hasOwn(perService, service) ? { ...perService[service]! } : {};
}
