// Exports and imports of a CloudFormation template (JSON or YAML): what the planner needs to order
// services. Pure: no Node, Prisma or Next.
import { LineCounter, Pair, Scalar, YAMLMap, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { Document, Node, Tags, YAMLSeq } from "yaml";
import type { TServiceState } from "./domain";

export class TemplateError extends Error {
  readonly line: number | null;
  readonly reason: string;
  constructor(reason: string, line: number | null = null) {
    super(line === null ? reason : `line ${line}: ${reason}`);
    this.name = "TemplateError";
    this.line = line;
    this.reason = reason;
  }
}

const STAGE_TOKEN = /\$\{(?:stage|sls:stage|opt:stage|self:custom\.stage|self:provider\.stage)\}/g;

export function substituteStage(text: string, stage: string): string {
  return text.replace(STAGE_TOKEN, () => stage);
}

// --- parsing -------------------------------------------------------------------------------------

type TPath = (string | number)[];
type TJson = Record<string, unknown>;

const SHORT_FORMS = [
  "Ref",
  "GetAtt",
  "Sub",
  "ImportValue",
  "Join",
  "Select",
  "Split",
  "If",
  "Equals",
  "Not",
  "And",
  "Or",
  "FindInMap",
  "Base64",
  "Cidr",
  "GetAZs",
  "Condition",
] as const;

// Collections become a YAML map { "Fn::X": <node> } rather than plain JS, so that aliases and node
// ranges (used for error lines) keep working inside them.
const CFN_TAGS: Tags = SHORT_FORMS.flatMap((name) => {
  const key = name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
  const wrap = (node: YAMLMap.Parsed | YAMLSeq.Parsed) => {
    const map = new YAMLMap();
    map.items.push(new Pair(new Scalar(key), node));
    return map;
  };
  const scalar = (s: string) => {
    if (name !== "GetAtt") return { [key]: s };
    const dot = s.indexOf(".");
    return { [key]: dot < 0 ? [s] : [s.slice(0, dot), s.slice(dot + 1)] };
  };
  return [
    { tag: `!${name}`, resolve: scalar },
    { tag: `!${name}`, collection: "seq" as const, resolve: wrap },
    { tag: `!${name}`, collection: "map" as const, resolve: wrap },
  ];
});

const isObject = (v: unknown): v is TJson => typeof v === "object" && v !== null && !Array.isArray(v);

function formatPath(path: TPath): string {
  return path.map((seg, i) => (typeof seg === "number" ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join("");
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

// JSON.parse names no position for some errors ("Unexpected token '}', ... is not valid JSON"):
// this scanner finds where the text stops being JSON.
function jsonErrorOffset(s: string): number {
  let i = 0;
  const atom = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  const ws = () => {
    while (i < s.length && " \t\n\r".includes(s[i]!)) i++;
  };
  const expect = (c: string) => {
    ws();
    if (s[i] !== c) throw i;
    i++;
  };
  const str = () => {
    expect('"');
    while (i < s.length && s[i] !== '"') {
      if (s.charCodeAt(i) < 32) throw i;
      i += s[i] === "\\" ? 2 : 1;
    }
    expect('"');
  };
  const value = (): void => {
    ws();
    const open = s[i];
    if (open === '"') return str();
    if (open !== "{" && open !== "[") {
      atom.lastIndex = i;
      if (!atom.test(s)) throw i;
      i = atom.lastIndex;
      return;
    }
    const close = open === "{" ? "}" : "]";
    i++;
    ws();
    if (s[i] === close) return void i++;
    for (;;) {
      if (open === "{") {
        str();
        expect(":");
      }
      value();
      ws();
      if (s[i] === close) return void i++;
      expect(",");
    }
  };
  try {
    value();
    ws();
    return i;
  } catch (at) {
    return at as number;
  }
}

// Nodes made by a short-form tag on a scalar hold a plain object: the walk stops there.
function nodeLine(doc: Document.Parsed, lines: LineCounter, path: TPath): number | null {
  let node: unknown = doc.contents;
  let offset: number | null = (doc.contents as Node | null)?.range?.[0] ?? null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = (pair.key as Scalar).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number" && node.items[seg]) {
      node = node.items[seg];
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
  }
  return offset === null ? null : lines.linePos(offset).line;
}

function parseYaml(text: string, uniqueKeys = true): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { customTags: CFN_TAGS, prettyErrors: false, lineCounter: lines, uniqueKeys });
  return { doc, lines };
}

function parseLocated(raw: string): { root: TJson; lineOf: (path: TPath) => number | null } {
  const text = raw.replace(/^\uFEFF/, "");
  let root: unknown;
  let lineOf: (path: TPath) => number | null;
  if (text.trimStart().startsWith("{")) {
    try {
      root = JSON.parse(text);
    } catch (e) {
      const message = (e as Error).message;
      const at = /at position (\d+)/.exec(message);
      const offset = at ? Number(at[1]) : jsonErrorOffset(text);
      const reason = message.replace(/ in JSON at position \d+.*$/s, "").replace(/, .*is not valid JSON$/s, "");
      throw new TemplateError(`invalid JSON: ${reason}`, lineAt(text, offset));
    }
    // JSON is YAML: its node ranges locate errors; only parsed when an error needs a line.
    lineOf = (path) => {
      const { doc, lines } = parseYaml(text, false);
      return nodeLine(doc, lines, path);
    };
  } else {
    const { doc, lines } = parseYaml(text);
    const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === "TAG_RESOLVE_FAILED");
    if (problem) {
      const hint = problem.code === "MULTIPLE_TAGS" ? " (short forms cannot nest directly: write `Fn::ImportValue: !Sub ...`)" : "";
      throw new TemplateError(`invalid YAML: ${problem.message}${hint}`, lines.linePos(problem.pos[0]).line);
    }
    root = doc.toJS({ maxAliasCount: 1000 });
    lineOf = (path) => nodeLine(doc, lines, path);
  }
  if (!isObject(root)) throw new TemplateError("the template must be a mapping", lineOf([]));
  checkStructure(root, lineOf);
  return { root, lineOf };
}

type TResolveContext = { stackName: string; region: string; accountId: string };

function pseudo(name: string, ctx: TResolveContext): string | null {
  const partition = ctx.region.startsWith("cn-") ? "aws-cn" : ctx.region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  const values = new Map([
    ["AWS::StackName", ctx.stackName],
    ["AWS::Region", ctx.region],
    ["AWS::AccountId", ctx.accountId],
    ["AWS::Partition", partition],
    ["AWS::URLSuffix", partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"],
  ]);
  return values.get(name) ?? null;
}

/** The static string value of a name expression, or null when it depends on deploy-time values. */
function resolveName(v: unknown, ctx: TResolveContext): string | null {
  if (typeof v === "string") return v;
  if (!isObject(v) || Object.keys(v).length !== 1) return null;
  if (typeof v.Ref === "string") return pseudo(v.Ref, ctx);
  const join = v["Fn::Join"];
  if (Array.isArray(join)) {
    const [sep, parts] = join;
    if (join.length !== 2 || typeof sep !== "string" || !Array.isArray(parts)) return null;
    const resolved = parts.map((p) => resolveName(p, ctx));
    return resolved.every((p) => p !== null) ? resolved.join(sep) : null;
  }
  const sub = v["Fn::Sub"];
  const [template, vars] = Array.isArray(sub) ? sub : [sub, {}];
  if (typeof template !== "string" || !isObject(vars)) return null;
  let unresolved = false;
  const out = template.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (name.startsWith("!")) return `\${${name.slice(1)}}`;
    const value = Object.hasOwn(vars, name) ? resolveName(vars[name], ctx) : pseudo(name, ctx);
    if (value === null) unresolved = true;
    return value ?? "";
  });
  return unresolved ? null : out;
}

function failer(lineOf: (path: TPath) => number | null) {
  return (path: TPath, reason: string): never => {
    throw new TemplateError(`${formatPath(path)}: ${reason}`, lineOf(path));
  };
}

function checkStructure(root: TJson, lineOf: (path: TPath) => number | null): void {
  const fail: (path: TPath, reason: string) => never = failer(lineOf);
  const resources = root.Resources;
  if (resources === undefined) throw new TemplateError("Resources: missing (a template needs at least one resource)");
  if (!isObject(resources)) fail(["Resources"], "must be a mapping of logical IDs to resources");
  const ids = Object.keys(resources);
  if (ids.length === 0) fail(["Resources"], "must contain at least one resource");
  for (const id of ids) {
    const resource = resources[id];
    if (!isObject(resource)) fail(["Resources", id], "must be a mapping");
    if (resource.Type === undefined) fail(["Resources", id], "has no Type");
    if (typeof resource.Type !== "string") fail(["Resources", id, "Type"], "must be a string");
  }
  if (root.Outputs === undefined) return;
  if (!isObject(root.Outputs)) fail(["Outputs"], "must be a mapping");
  for (const [id, output] of Object.entries(root.Outputs)) {
    if (!isObject(output) || output.Value === undefined) fail(["Outputs", id], "must be a mapping with a Value");
  }
  // Whether a name resolves does not depend on the stack's name, region or account.
  exportedOutputs(root, { stackName: "stack", region: "us-east-1", accountId: "000000000000" }, fail);
}

function exportedOutputs(root: TJson, ctx: TResolveContext, fail: (path: TPath, reason: string) => never) {
  const exports = new Map<string, unknown>();
  for (const [id, output] of Object.entries(isObject(root.Outputs) ? root.Outputs : {})) {
    const exported = (output as TJson).Export;
    if (exported === undefined) continue;
    const namePath = ["Outputs", id, "Export", "Name"];
    if (!isObject(exported)) fail(namePath.slice(0, 3), "must be a mapping with a Name");
    const name = resolveName(exported.Name, ctx);
    if (name === null || name === "") fail(namePath, "cannot resolve the export name to a string");
    if (exports.has(name)) fail(namePath, `duplicate export name ${name}`);
    exports.set(name, (output as TJson).Value);
  }
  return exports;
}

export function parseTemplate(text: string): Record<string, unknown> {
  return parseLocated(text).root;
}

// --- analysis ------------------------------------------------------------------------------------

export interface TTemplateAnalysis {
  exports: Record<string, string>;
  imports: string[];
  resources: { logicalId: string; type: string }[];
  metadata: { deploySeconds?: number; fail?: string };
}

/** JSON with keys sorted at every level: equal text = same value. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x ?? null)).join(",")}]`;
  if (isObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

function collectImports(v: unknown, path: TPath, found: { path: TPath; expr: unknown }[]): void {
  if (Array.isArray(v)) return v.forEach((x, i) => collectImports(x, [...path, i], found));
  if (!isObject(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if (k === "Fn::ImportValue") found.push({ path, expr: x });
    collectImports(x, [...path, k], found);
  }
}

/** The sandbox's simulated duration is capped: a step that long holds a worker slot all the while. */
const MAX_DEPLOY_SECONDS = 3600;

function readMetadata(root: TJson, lineOf: (path: TPath) => number | null): TTemplateAnalysis["metadata"] {
  const fail: (path: TPath, reason: string) => never = failer(lineOf);
  const sprout = isObject(root.Metadata) ? root.Metadata.Sprout : undefined;
  if (sprout === undefined) return {};
  const path = ["Metadata", "Sprout"];
  if (!isObject(sprout)) return fail(path, "must be a mapping");
  const metadata: TTemplateAnalysis["metadata"] = {};
  const { deploySeconds, fail: failWith } = sprout;
  if (deploySeconds !== undefined) {
    if (typeof deploySeconds !== "number" || !Number.isFinite(deploySeconds) || deploySeconds < 0) {
      fail([...path, "deploySeconds"], "must be a non-negative number");
    }
    if (deploySeconds > MAX_DEPLOY_SECONDS) {
      fail([...path, "deploySeconds"], `must be at most ${MAX_DEPLOY_SECONDS} (one hour); got ${deploySeconds}`);
    }
    metadata.deploySeconds = deploySeconds;
  }
  if (failWith !== undefined) {
    if (typeof failWith !== "string") fail([...path, "fail"], "must be a string");
    metadata.fail = failWith;
  }
  return metadata;
}

export function analyzeTemplate(
  text: string,
  opts: { stage: string; stackName: string; region?: string; accountId?: string },
): TTemplateAnalysis {
  const { root, lineOf } = parseLocated(substituteStage(text, opts.stage));
  const ctx = { stackName: opts.stackName, region: opts.region ?? "us-east-1", accountId: opts.accountId ?? "000000000000" };
  const fail: (path: TPath, reason: string) => never = failer(lineOf);

  const exported = [...exportedOutputs(root, ctx, fail)];
  const exports = Object.fromEntries(exported.map(([name, value]) => [name, canonicalJson(value)]));

  const found: { path: TPath; expr: unknown }[] = [];
  collectImports(root, [], found);
  const imports = new Set<string>();
  for (const { path, expr } of found) {
    const name = resolveName(expr, ctx);
    if (name === null || name === "") fail(path, "cannot resolve the name of Fn::ImportValue");
    imports.add(name);
  }

  const resources = Object.entries(root.Resources as TJson).map(([logicalId, r]) => ({ logicalId, type: (r as TJson).Type as string }));
  return { exports, imports: [...imports].sort(), resources, metadata: readMetadata(root, lineOf) };
}

export function serviceState(
  text: string,
  dependsOn: string[],
  artifact: string,
  opts: { stage: string; stackName: string },
): TServiceState {
  const { exports, imports } = analyzeTemplate(text, opts);
  return { artifact, exports, imports, dependsOn: [...new Set(dependsOn)].sort() };
}
