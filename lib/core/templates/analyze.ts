// What the planner needs from a template: the exports it makes (name -> canonical value), the
// exports it imports, and the parameter values it is deployed with, all resolved for one stage as
// CloudFormation resolves them.
import type { TServiceState } from "../domain";
import { exportValueText } from "./canonical";
import { conditionReader } from "./conditions";
import { TemplateError, failer, isObject, setKey, type TFail, type TJson, type TPath } from "./errors";
import { DYNAMIC_REFERENCE, Unknown, dynamicReference, evaluate, type TEnv } from "./intrinsics";
import { LANGUAGE_EXTENSIONS, expandLanguageExtensions, readTransforms } from "./language-extensions";
import { readParameters, type TTemplateWarning } from "./parameters";
import { parseText } from "./parse";
import { pseudoParameters, type TPseudoOptions } from "./pseudo";
import { nestedStackWarnings, scanTemplate } from "./scan";
import { INCLUDE, checkStructure } from "./structure";

const STAGE_TOKEN = /\$\{(?:stage|sls:stage|opt:stage|self:custom\.stage|self:provider\.stage)\}/g;

/** `${stage}` and Serverless's stage variables, replaced by the stage's name before anything else. */
export function substituteStage(text: string, stage: string): string {
  return text.replace(STAGE_TOKEN, () => stage);
}

export interface TAnalyzeOptions extends TPseudoOptions {
  stage: string;
  /** Parameter values for this stage (the stage's settings merged over the manifest's); else Defaults. */
  parameters?: Record<string, string>;
  /** Named in every error message. */
  service?: string;
  /** The time budget for reading the template, in ms; MAX_ANALYSIS_MS unless a test sets it. */
  timeMs?: number;
}

export interface TTemplateAnalysis {
  /** Export name -> canonical value text (see `isKnownExportValue`). */
  exports: Record<string, string>;
  imports: string[];
  resources: { logicalId: string; type: string }[];
  metadata: { deploySeconds?: number; fail?: string };
  /** Every declared Parameter -> the value to deploy with (store it with the build, pass it to CreateStack). */
  parameters: Record<string, string>;
  /** Parameters declared NoEcho: never show their values. */
  noEchoParameters: string[];
  /** Exports under an Output whose Condition is false for this stage: name -> condition. */
  disabledExports: Record<string, string>;
  transforms: string[];
  warnings: TTemplateWarning[];
}

/** The sandbox's simulated duration is capped: a step that long holds a worker slot all the while. */
const MAX_DEPLOY_SECONDS = 3600;

const KNOWN_BEFORE = "must be known before deploying: build it from parameters, pseudo parameters and literals";

/** A name (export or import) that must be a known, non-empty string. */
function knownName(value: unknown, fail: TFail, path: TPath, what: string): string {
  if (typeof value === "string" && DYNAMIC_REFERENCE.test(value)) value = dynamicReference(value); // e.g. from Fn::Sub
  if (value instanceof Unknown) return fail(path, `uses ${value.why}; ${what} ${KNOWN_BEFORE}`);
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return fail(path, `must be a string, not ${Array.isArray(value) ? "a list" : "a mapping"}`);
  if (value === "") return fail(path, `is empty; ${what} must be a non-empty string`);
  return value;
}

/** `Condition: Name` of a resource or an output: its truth for the stage; true when absent. */
function conditionOf(item: unknown, env: TEnv, path: TPath): boolean | Unknown {
  const condition = isObject(item) ? item.Condition : undefined;
  if (condition === undefined) return true;
  if (typeof condition !== "string") return env.fail([...path, "Condition"], "must name a condition of Conditions");
  return env.condition(condition, [...path, "Condition"]);
}

function readExports(root: TJson, env: TEnv, warnings: TTemplateWarning[]) {
  const exports: Record<string, string> = {};
  const disabledExports: Record<string, string> = {};
  for (const [id, output] of Object.entries(isObject(root.Outputs) ? root.Outputs : {})) {
    if (id === INCLUDE) continue;
    const exported = (output as TJson).Export as TJson | undefined;
    if (exported === undefined) continue;
    const path = ["Outputs", id];
    const namePath = [...path, "Export", "Name"];
    const enabled = conditionOf(output, env, path);
    if (enabled === false) {
      // AWS does not read a disabled output: its name may fail to resolve, and then it names nothing.
      try {
        const name = evaluate(exported.Name, env, namePath);
        if (typeof name === "string" && name !== "") setKey(disabledExports, name, (output as TJson).Condition);
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
      }
      continue;
    }
    if (enabled instanceof Unknown) {
      const condition = (output as TJson).Condition as string;
      warnings.push({
        code: "condition-unknown",
        message: `Outputs.${id} exports only when condition ${condition} is true, and that uses ${enabled.why}: Sprout plans as if it exports`,
      });
    }
    const name = knownName(evaluate(exported.Name, env, namePath), env.fail, namePath, "an export name");
    if (Object.hasOwn(exports, name)) env.fail(namePath, `duplicate export name ${name}: export names are unique per account and region`);
    setKey(exports, name, exportValueText(evaluate((output as TJson).Value, env, [...path, "Value"])));
  }
  for (const name of Object.keys(exports)) delete disabledExports[name];
  return { exports, disabledExports };
}

/** Fn::ImportValue where AWS resolves it: not under a false condition, nor in Fn::If's other branch. */
function readImports(root: TJson, env: TEnv): string[] {
  const found = new Set<string>();
  const walk = (v: unknown, path: TPath): void => {
    env.step();
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...path, i]));
    if (!isObject(v)) return;
    const ifArgs = v["Fn::If"];
    if (Object.keys(v).length === 1 && Array.isArray(ifArgs) && ifArgs.length === 3 && typeof ifArgs[0] === "string") {
      const holds = env.condition(ifArgs[0], [...path, "Fn::If", 0]);
      if (holds !== false) walk(ifArgs[1], [...path, "Fn::If", 1]);
      if (holds !== true) walk(ifArgs[2], [...path, "Fn::If", 2]);
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (k === "Fn::ImportValue") {
        const at = [...path, k];
        found.add(knownName(evaluate(x, env, at), env.fail, at, "an import name"));
      }
      walk(x, [...path, k]);
    }
  };
  for (const [section, content] of Object.entries(root)) {
    if ((section !== "Resources" && section !== "Outputs") || !isObject(content)) {
      walk(content, [section]);
      continue;
    }
    for (const [id, item] of Object.entries(content)) if (conditionOf(item, env, [section, id]) !== false) walk(item, [section, id]);
  }
  return [...found].sort();
}

function readMetadata(root: TJson, fail: TFail): TTemplateAnalysis["metadata"] {
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
    if ((deploySeconds as number) > MAX_DEPLOY_SECONDS) {
      fail([...path, "deploySeconds"], `must be at most ${MAX_DEPLOY_SECONDS} (one hour); got ${deploySeconds as number}`);
    }
    metadata.deploySeconds = deploySeconds as number;
  }
  if (failWith !== undefined) {
    if (typeof failWith !== "string") fail([...path, "fail"], "must be a string");
    metadata.fail = failWith as string;
  }
  return metadata;
}

/** Logical IDs of Resources; an included snippet (`Fn::Transform`) is no resource. */
const resourceIds = (root: TJson) => new Set(isObject(root.Resources) ? Object.keys(root.Resources).filter((id) => id !== INCLUDE) : []);

/** The template read for one stage, Fn::ForEach expanded; shared by analyzeTemplate and parseTemplate. */
export function readTemplate(text: string, opts: TAnalyzeOptions) {
  const service = opts.service ?? null;
  const parsed = parseText(substituteStage(text, opts.stage), service, opts.timeMs);
  let root = parsed.root;
  let fail = failer(parsed.lineOf, service);
  const transforms = readTransforms(root, fail);
  const step = () => parsed.budget.step();
  const scanned = scanTemplate(root, { fail, languageExtensions: transforms.includes(LANGUAGE_EXTENSIONS), step });
  const params = readParameters(root, opts.parameters, opts.service, fail);
  if (root.Mappings !== undefined && !isObject(root.Mappings)) fail(["Mappings"], "must be a mapping");
  const others = transforms.filter((t) => t !== LANGUAGE_EXTENSIONS);
  const env: TEnv = {
    params: params.values,
    pseudo: pseudoParameters(opts),
    resources: resourceIds(root),
    mappings: (root.Mappings as TJson | undefined) ?? {},
    transformed: others.length > 0,
    fail,
    depth: 0,
    step,
    condition: (name, path) =>
      fail(path, `Fn::ForEach cannot use condition ${name} in its collection: list the items, or Ref a CommaDelimitedList parameter`),
  };
  if (transforms.includes(LANGUAGE_EXTENSIONS)) {
    const expanded = expandLanguageExtensions(root, env, parsed.budget, fail);
    root = expanded.root;
    fail = failer((path) => parsed.lineOf(expanded.sourceOf(path)), service);
    env.fail = fail;
    env.resources = resourceIds(root);
  }
  checkStructure(root, fail);
  const named = conditionReader(isObject(root.Conditions) ? root.Conditions : {}, fail, () => env);
  env.condition = named;
  const warnings = [...params.warnings, ...scanned];
  for (const transform of others) {
    warnings.push({
      code: "transform",
      message: `the template uses the transform ${transform}, which AWS runs when it deploys: Sprout reads the exports and imports the template states itself, and the transform may add more`,
    });
  }
  return { root, env, params, transforms, warnings, fail };
}

export function analyzeTemplate(text: string, opts: TAnalyzeOptions): TTemplateAnalysis {
  const { root, env, params, transforms, warnings, fail } = readTemplate(text, opts);
  const { exports, disabledExports } = readExports(root, env, warnings);
  const imports = readImports(root, env);
  const resources = [...resourceIds(root)].map((logicalId) => ({
    logicalId,
    type: ((root.Resources as TJson)[logicalId] as TJson).Type as string,
  }));
  warnings.push(...nestedStackWarnings(resources));
  return {
    exports,
    imports,
    resources,
    metadata: readMetadata(root, fail),
    parameters: params.passed,
    noEchoParameters: params.noEcho,
    disabledExports,
    transforms,
    warnings,
  };
}

export function serviceState(text: string, dependsOn: string[], artifact: string, opts: TAnalyzeOptions): TServiceState {
  const { exports, imports, disabledExports } = analyzeTemplate(text, opts);
  const state: TServiceState = { artifact, exports, imports, dependsOn: [...new Set(dependsOn)].sort() };
  if (Object.keys(disabledExports).length > 0) state.disabledExports = disabledExports;
  return state;
}
