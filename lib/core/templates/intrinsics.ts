// CloudFormation's intrinsic functions, evaluated as far as a template, its parameters and the
// stage's pseudo parameters allow. What only AWS knows (an attribute, a resource's id, an imported
// value) stays an expression: an Unknown that carries the rest of the expression, in one canonical
// form (so that `!Sub '${Topic}'` and `!Ref Topic` are one value), and why it is unknown.
import { isObject, setKey, type TFail, type TJson, type TPath } from "./errors";

export class Unknown {
  constructor(
    /** The expression left for AWS, with everything known already substituted. */
    readonly expr: unknown,
    /** What makes it unknown, as a user reads it: "Fn::GetAtt Vpc.Arn, whose value only AWS knows". */
    readonly why: string,
  ) {}
}

/** `Ref: AWS::NoValue`: removes the property or list item it stands in. */
export const NO_VALUE: Readonly<TJson> = Object.freeze({ Ref: "AWS::NoValue" });

export type TParamValue = string | string[] | Unknown;

export interface TEnv {
  params: Map<string, TParamValue>;
  pseudo: Map<string, TParamValue>;
  resources: Set<string>;
  mappings: TJson;
  /** A named condition's value for this stage. */
  condition: (name: string, path: TPath) => boolean | Unknown;
  /** A transform other than AWS::LanguageExtensions may define more than the template states. */
  transformed: boolean;
  fail: TFail;
  /** Expressions being evaluated, one inside the other, conditions they name included. */
  depth: number;
  /** Counts a step of work against the template's time budget (refuses once it is spent). */
  step: () => void;
}

/**
 * Each expression nests at most MAX_TEMPLATE_DEPTH deep in the text, but conditions naming
 * conditions (and Fn::If naming them) chain those: bounded, so that no chain overflows the stack.
 */
export const MAX_EXPRESSION_DEPTH = 500;
export const EXPRESSION_TOO_DEEP = `expressions nest more than ${MAX_EXPRESSION_DEPTH} levels deep, counting the conditions they refer to: simplify them`;

export const residual = (v: unknown): unknown => (v instanceof Unknown ? v.expr : v);
const ONLY_AWS = "whose value only AWS knows";

/** `{{resolve:ssm:…}}`, `{{resolve:secretsmanager:…}}`: CloudFormation replaces it when it deploys. */
export const DYNAMIC_REFERENCE = /\{\{resolve:[^}]*\}\}/;
export const dynamicReference = (text: string) =>
  // an expression (not a string) in the canonical text: the planner reads it as a value only AWS knows
  new Unknown({ "Fn::Sub": text }, `the dynamic reference ${DYNAMIC_REFERENCE.exec(text)![0]}, whose value AWS reads when it deploys`);
const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The value of a template expression: plain data when fully known, else an Unknown. */
export function evaluate(v: unknown, env: TEnv, path: TPath): unknown {
  if (typeof v === "string" && DYNAMIC_REFERENCE.test(v)) return dynamicReference(v);
  if (typeof v !== "object" || v === null) return v;
  env.step();
  if (++env.depth > MAX_EXPRESSION_DEPTH) return env.fail(path, EXPRESSION_TOO_DEEP);
  try {
    return evaluateNode(v, env, path);
  } finally {
    env.depth--;
  }
}

function evaluateNode(v: object, env: TEnv, path: TPath): unknown {
  if (Array.isArray(v)) return evaluateItems(v, env, path);
  if (!isObject(v)) return v;
  const keys = Object.keys(v);
  const fn = keys.length === 1 ? FUNCTIONS[keys[0]!] : undefined;
  if (fn) return fn(v[keys[0]!], env, [...path, keys[0]!]);
  const out: TJson = {};
  let why: string | null = null;
  for (const k of keys) {
    const r = evaluate(v[k], env, [...path, k]);
    if (r === NO_VALUE) continue;
    if (r instanceof Unknown) why ??= r.why;
    setKey(out, k, residual(r));
  }
  return why === null ? out : new Unknown(out, why);
}

function evaluateItems(items: unknown[], env: TEnv, path: TPath): unknown[] | Unknown {
  const out: unknown[] = [];
  let why: string | null = null;
  items.forEach((item, i) => {
    const r = evaluate(item, env, [...path, i]);
    if (r === NO_VALUE) return;
    if (r instanceof Unknown) why ??= r.why;
    out.push(residual(r));
  });
  return why === null ? out : new Unknown(out, why);
}

/** A string, a number or boolean as CloudFormation turns it into text, or an Unknown. */
function text(r: unknown, fail: TFail, path: TPath, what: string): string | Unknown {
  if (r instanceof Unknown || typeof r === "string") return r;
  if (typeof r === "number" || typeof r === "boolean") return String(r);
  if (r === NO_VALUE || r === null) return "";
  return fail(path, `${what} must be a string, not ${Array.isArray(r) ? "a list" : "a mapping"}`);
}

/** Text made of known and unknown parts: a string when all are known, else one canonical Fn::Join. */
export function concat(parts: (string | Unknown)[]): string | Unknown {
  const merged: (string | Unknown)[] = [];
  for (const part of parts) {
    if (part === "") continue;
    const last = merged[merged.length - 1];
    if (typeof part === "string" && typeof last === "string") merged[merged.length - 1] = last + part;
    else merged.push(part);
  }
  if (merged.every((p) => typeof p === "string")) return merged.join("");
  if (merged.length === 1) return merged[0]!;
  const why = merged.find((p): p is Unknown => p instanceof Unknown)!.why;
  return new Unknown({ "Fn::Join": ["", merged.map(residual)] }, why);
}

function lookupName(name: string, env: TEnv): unknown {
  if (env.pseudo.has(name)) {
    const value = env.pseudo.get(name)!;
    return name === "AWS::NoValue" ? NO_VALUE : value;
  }
  if (env.params.has(name)) return env.params.get(name)!;
  if (env.resources.has(name)) return new Unknown({ Ref: name }, `Ref ${name} (a resource), ${ONLY_AWS}`);
  const why = env.transformed
    ? `Ref ${name}, which the template's transform may define, ${ONLY_AWS}`
    : `Ref ${name}, which names no Parameter, resource or pseudo parameter of this template`;
  return new Unknown({ Ref: name }, why);
}

type TFunction = (arg: unknown, env: TEnv, path: TPath) => unknown;

const pair = (arg: unknown, env: TEnv, path: TPath, shape: string): [unknown, unknown] => {
  if (!Array.isArray(arg) || arg.length !== 2) return env.fail(path, `must be a list of two items: ${shape}`);
  return [arg[0], arg[1]];
};

const FUNCTIONS: Record<string, TFunction> = {
  Ref(arg, env, path) {
    // AWS::LanguageExtensions lets Ref name what an intrinsic builds.
    const name = isObject(arg) ? evaluate(arg, env, path) : arg;
    if (name instanceof Unknown) return new Unknown({ Ref: name.expr }, name.why);
    if (typeof name !== "string") return env.fail(path, "must name a Parameter, a resource or a pseudo parameter");
    return lookupName(name, env);
  },
  "Fn::GetAtt"(arg, env, path) {
    const parts = typeof arg === "string" && arg.includes(".") ? [arg.slice(0, arg.indexOf(".")), arg.slice(arg.indexOf(".") + 1)] : arg;
    const [id, attribute] = pair(parts, env, path, "[LogicalId, Attribute]").map((x, i) => residual(evaluate(x, env, [...path, i])));
    return new Unknown({ "Fn::GetAtt": [id, attribute] }, `Fn::GetAtt ${show(id)}.${show(attribute)}, ${ONLY_AWS}`);
  },
  "Fn::Sub"(arg, env, path) {
    const [template, vars] = Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [arg, {}];
    if (typeof template !== "string") return env.fail(path, "must be a string, or a list of a string and a mapping of variables");
    if (!isObject(vars)) return env.fail([...path, 1], "must be a mapping of variable names to values");
    const parts: (string | Unknown)[] = [];
    const pattern = /\$\{([^}]*)\}/g;
    let last = 0;
    for (let m = pattern.exec(template); m; m = pattern.exec(template)) {
      parts.push(template.slice(last, m.index));
      last = m.index + m[0].length;
      const name = m[1]!;
      if (name.startsWith("!")) {
        parts.push(`\${${name.slice(1)}}`);
        continue;
      }
      let r: unknown;
      if (Object.hasOwn(vars, name)) r = evaluate(vars[name], env, [...path, 1, name]);
      else if (name.includes(".") && !env.params.has(name) && !env.pseudo.has(name)) {
        const [id, attribute] = [name.slice(0, name.indexOf(".")), name.slice(name.indexOf(".") + 1)];
        r = new Unknown({ "Fn::GetAtt": [id, attribute] }, `Fn::GetAtt ${id}.${attribute}, ${ONLY_AWS}`);
      } else r = lookupName(name, env);
      if (Array.isArray(r)) {
        return env.fail(path, `\${${name}} is a list, and Fn::Sub inserts strings only: make one string of it with Fn::Join`);
      }
      parts.push(text(r, env.fail, path, `\${${name}}`));
    }
    parts.push(template.slice(last));
    return concat(parts);
  },
  "Fn::Join"(arg, env, path) {
    const [sepArg, list] = pair(arg, env, path, "[separator, [values]]");
    const sep = evaluate(sepArg, env, [...path, 0]);
    if (sep instanceof Unknown) return new Unknown({ "Fn::Join": [sep.expr, residual(evaluate(list, env, [...path, 1]))] }, sep.why);
    if (typeof sep !== "string") return env.fail([...path, 0], "the separator must be a string");
    if (!Array.isArray(list)) {
      const r = evaluate(list, env, [...path, 1]);
      if (r instanceof Unknown) return new Unknown({ "Fn::Join": [sep, r.expr] }, r.why);
      if (!Array.isArray(r)) return env.fail([...path, 1], "must be a list of values to join");
      return r.map((x) => String(x)).join(sep);
    }
    const parts: (string | Unknown)[] = [];
    list.forEach((item, i) => {
      const r = evaluate(item, env, [...path, 1, i]);
      if (r === NO_VALUE) return;
      if (parts.length > 0) parts.push(sep);
      parts.push(text(r, env.fail, [...path, 1, i], "each value that Fn::Join joins"));
    });
    return concat(parts);
  },
  "Fn::Select"(arg, env, path) {
    const [indexArg, list] = pair(arg, env, path, "[index, [values]]");
    const index = evaluate(indexArg, env, [...path, 0]);
    if (index instanceof Unknown)
      return new Unknown({ "Fn::Select": [index.expr, residual(evaluate(list, env, [...path, 1]))] }, index.why);
    const i = Number(index);
    if (!Number.isInteger(i) || i < 0 || (typeof index === "string" && index.trim() === "")) {
      return env.fail([...path, 0], `must be a whole number from 0, not ${show(index)}`);
    }
    const items = Array.isArray(list) ? list : evaluate(list, env, [...path, 1]);
    if (items instanceof Unknown) return new Unknown({ "Fn::Select": [i, items.expr] }, items.why);
    if (!Array.isArray(items)) return env.fail([...path, 1], "must be a list to select from");
    if (i >= items.length)
      return env.fail([...path, 0], `index ${i} is past the end of a list of ${items.length}: pick an index from 0 to ${items.length - 1}`);
    return Array.isArray(list) ? evaluate(list[i], env, [...path, 1, i]) : items[i];
  },
  "Fn::Split"(arg, env, path) {
    const [delimiter, source] = pair(arg, env, path, "[delimiter, string]");
    if (typeof delimiter !== "string" || delimiter === "") return env.fail([...path, 0], "must be a non-empty string");
    const r = text(evaluate(source, env, [...path, 1]), env.fail, [...path, 1], "what Fn::Split splits");
    return r instanceof Unknown ? new Unknown({ "Fn::Split": [delimiter, r.expr] }, r.why) : r.split(delimiter);
  },
  "Fn::FindInMap"(arg, env, path) {
    if (!Array.isArray(arg) || arg.length < 3 || arg.length > 4) {
      return env.fail(
        path,
        "must be a list [MapName, TopLevelKey, SecondLevelKey] (and { DefaultValue: ... } with AWS::LanguageExtensions)",
      );
    }
    const keys = arg.slice(0, 3).map((k, i) => text(evaluate(k, env, [...path, i]), env.fail, [...path, i], "a key of Fn::FindInMap"));
    const unknown = keys.find((k): k is Unknown => k instanceof Unknown);
    if (unknown) return new Unknown({ "Fn::FindInMap": [...keys.map(residual), ...arg.slice(3)] }, unknown.why);
    const [map, top, second] = keys as string[];
    const mapping = Object.hasOwn(env.mappings, map!) ? env.mappings[map!] : undefined;
    const level = isObject(mapping) && Object.hasOwn(mapping, top!) ? mapping[top!] : undefined;
    if (isObject(level) && Object.hasOwn(level, second!)) return level[second!];
    const fallback = arg[3];
    if (isObject(fallback) && Object.hasOwn(fallback, "DefaultValue"))
      return evaluate(fallback.DefaultValue, env, [...path, 3, "DefaultValue"]);
    if (arg.length === 4) return env.fail([...path, 3], "must be a mapping { DefaultValue: ... }");
    const missing = !isObject(mapping)
      ? `Mappings has no map ${map}`
      : !isObject(level)
        ? `Mappings.${map} has no key ${top}`
        : `Mappings.${map}.${top} has no key ${second}`;
    return env.fail(
      path,
      `${missing}: add it to Mappings, or give Fn::FindInMap a DefaultValue (with the AWS::LanguageExtensions transform)`,
    );
  },
  "Fn::If"(arg, env, path) {
    if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== "string") {
      return env.fail(path, "must be a list [ConditionName, value if true, value if false]");
    }
    const holds = env.condition(arg[0], [...path, 0]);
    if (holds === true) return evaluate(arg[1], env, [...path, 1]);
    if (holds === false) return evaluate(arg[2], env, [...path, 2]);
    const [a, b] = [evaluate(arg[1], env, [...path, 1]), evaluate(arg[2], env, [...path, 2])];
    return new Unknown({ "Fn::If": [arg[0], residual(a), residual(b)] }, holds.why);
  },
  "Fn::ImportValue"(arg, env, path) {
    const name = evaluate(arg, env, path);
    if (name instanceof Unknown) return new Unknown({ "Fn::ImportValue": name.expr }, name.why);
    return new Unknown({ "Fn::ImportValue": name }, `Fn::ImportValue ${show(name)}, ${ONLY_AWS}`);
  },
  "Fn::GetAZs"(arg, env, path) {
    const region = evaluate(arg, env, path);
    const named = region === "" || region === null ? env.pseudo.get("AWS::Region") : residual(region);
    return new Unknown({ "Fn::GetAZs": named }, `Fn::GetAZs, the Availability Zones that only AWS knows`);
  },
  "Fn::Base64"(arg, env, path) {
    const r = text(evaluate(arg, env, path), env.fail, path, "what Fn::Base64 encodes");
    if (r instanceof Unknown) return new Unknown({ "Fn::Base64": r.expr }, r.why);
    let binary = "";
    for (const byte of new TextEncoder().encode(r)) binary += String.fromCharCode(byte);
    return btoa(binary);
  },
  "Fn::Cidr"(arg, env, path) {
    return new Unknown({ "Fn::Cidr": residual(evaluate(arg, env, path)) }, "Fn::Cidr, which Sprout does not compute");
  },
  "Fn::Length"(arg, env, path) {
    if (Array.isArray(arg)) return arg.filter((item, i) => evaluate(item, env, [...path, i]) !== NO_VALUE).length;
    const r = evaluate(arg, env, path);
    if (r instanceof Unknown) return new Unknown({ "Fn::Length": r.expr }, r.why);
    return Array.isArray(r) ? r.length : env.fail(path, "must be a list, or an intrinsic function that returns a list");
  },
  "Fn::ToJsonString"(arg, env, path) {
    const r = evaluate(arg, env, path);
    if (r instanceof Unknown) return new Unknown({ "Fn::ToJsonString": r.expr }, r.why);
    if (typeof r !== "object" || r === null) return env.fail(path, "must be a mapping or a list");
    return JSON.stringify(r);
  },
  "Fn::Transform"(arg) {
    return new Unknown({ "Fn::Transform": arg }, "Fn::Transform, a macro that only AWS runs");
  },
};
