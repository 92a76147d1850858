// The template's Parameters for a stage: the value each one takes (given for the stage, else its
// Default), checked as CloudFormation checks it, so that a wrong value is refused before a build.
import { isObject, setKey, type TFail, type TJson } from "./errors";
import { Unknown, type TParamValue } from "./intrinsics";
import { hasVariableRef } from "../variables";

export interface TTemplateWarning {
  code: "transform" | "unused-parameter" | "unchecked-pattern" | "condition-unknown" | (string & {});
  message: string;
}

export interface TParameters {
  /** For evaluating the template: a string, a list, or Unknown for what AWS reads at deploy time. */
  values: Map<string, TParamValue>;
  /** What to pass to CreateStack/UpdateStack: every declared Parameter -> its value. */
  passed: Record<string, string>;
  /** Parameters declared NoEcho: their values must never be shown. */
  noEcho: string[];
  warnings: TTemplateWarning[];
}

type TKind = { list: boolean; number: boolean; fromSsm: boolean };
const TYPES =
  "String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or AWS::SSM::Parameter::Value<String>";

function kindOf(type: string): TKind | null {
  const plain = { list: false, number: false, fromSsm: false };
  if (type === "String" || type === "AWS::SSM::Parameter::Name") return plain;
  if (type === "Number") return { ...plain, number: true };
  if (type === "List<Number>") return { ...plain, list: true, number: true };
  if (type === "CommaDelimitedList" || /^List<AWS::[A-Za-z0-9]+(::[A-Za-z0-9]+)+>$/.test(type)) return { ...plain, list: true };
  const ssm = /^AWS::SSM::Parameter::Value<(.+)>$/.exec(type);
  if (ssm) return { ...plain, fromSsm: true, list: ssm[1] === "CommaDelimitedList" || ssm[1]!.startsWith("List<") };
  if (/^AWS::[A-Za-z0-9]+(::[A-Za-z0-9]+)+$/.test(type)) return plain;
  return null;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A group repeated that itself repeats, e.g. `(a+)+`: JavaScript may take ages to reject a value. */
function nestedRepetition(pattern: string): boolean {
  const repeats: boolean[] = [false];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") i++;
    else if (c === "[") while (i < pattern.length && pattern[i] !== "]") i += pattern[i] === "\\" ? 2 : 1;
    else if (c === "(") repeats.push(false);
    else if (c === ")") {
      const inner = repeats.length > 1 ? repeats.pop()! : false;
      const quantified = /[*+{]/.test(pattern[i + 1] ?? "");
      if (inner && quantified) return true;
      if (inner || quantified) repeats[repeats.length - 1] = true;
    } else if (c === "*" || c === "+" || c === "{") repeats[repeats.length - 1] = true;
  }
  return false;
}

export function readParameters(
  root: TJson,
  given: Record<string, string> | undefined,
  service: string | undefined,
  fail: TFail,
): TParameters {
  const declared = root.Parameters === undefined ? {} : root.Parameters;
  if (!isObject(declared)) return fail(["Parameters"], "must be a mapping of parameter names to their Type, Default, ...");
  const out: TParameters = { values: new Map(), passed: {}, noEcho: [], warnings: [] };
  const whose = service ? `for ${service}` : "for this service";
  for (const [name, spec] of Object.entries(declared)) {
    const at = ["Parameters", name];
    if (!isObject(spec)) return fail(at, "must be a mapping with a Type");
    if (typeof spec.Type !== "string") return fail([...at, "Type"], `must be one of ${TYPES}`);
    const kind = kindOf(spec.Type);
    if (!kind) return fail([...at, "Type"], `${spec.Type} is not a parameter type CloudFormation knows: use ${TYPES}`);
    const secret = spec.NoEcho === true || spec.NoEcho === "true";
    if (secret) out.noEcho.push(name);

    let raw: string;
    let source: string;
    if (given && Object.hasOwn(given, name)) {
      raw = String(given[name]);
      source = "the value given for it";
    } else if (spec.Default !== undefined && spec.Default !== null) {
      raw = Array.isArray(spec.Default) ? spec.Default.map(String).join(",") : String(spec.Default);
      source = "its Default";
    } else {
      return fail(
        at,
        `has no value and no Default: give it a value in the stage's settings (parameters ${whose}) or in the manifest's "parameters" ${whose}, or add a Default to the template`,
      );
    }
    const shown = secret ? `${source} (not shown: NoEcho)` : `${source}, ${JSON.stringify(raw)},`;
    const refuse = (what: string, fix: string): never => fail(at, `${shown} ${what}: ${fix}`);

    const items = kind.list ? raw.split(",").map((s) => s.trim()) : [raw];
    // {{secret:NAME}} is the stage variable's value, known only when the worker deploys
    const fromVariable = hasVariableRef(raw);
    if (!kind.fromSsm && !fromVariable) checkValue(spec, items, kind, refuse, at, out.warnings);
    setKey(out.passed, name, raw);
    const why = fromVariable
      ? `Parameter ${name}, whose value comes from a stage variable (${raw}) when the step deploys`
      : `Parameter ${name} (type ${spec.Type}), whose value AWS reads from Systems Manager when it deploys`;
    out.values.set(name, kind.fromSsm || fromVariable ? new Unknown({ Ref: name }, why) : kind.list ? items : raw);
  }
  for (const name of Object.keys(given ?? {}).sort()) {
    if (Object.hasOwn(declared, name)) continue;
    out.warnings.push({
      code: "unused-parameter",
      message: `a value is given for parameter ${name}, which the template does not declare: it is not passed to CloudFormation (remove it from the parameters ${whose}, or declare it under Parameters)`,
    });
  }
  return out;
}

function checkValue(
  spec: TJson,
  items: string[],
  kind: TKind,
  refuse: (what: string, fix: string) => never,
  at: string[],
  warnings: TTemplateWarning[],
) {
  const is = kind.list ? "has an item" : "is";
  if (kind.number) {
    const bad = items.find((x) => !NUMBER.test(x));
    if (bad !== undefined) refuse(`is not ${kind.list ? "a list of numbers" : "a number"}`, "give a number such as 42 or 0.5");
    const [min, max] = [spec.MinValue, spec.MaxValue].map((v) => (v === undefined ? undefined : Number(v)));
    if (min !== undefined && items.some((x) => Number(x) < min)) refuse(`${is} below MinValue ${min}`, `give at least ${min}`);
    if (max !== undefined && items.some((x) => Number(x) > max)) refuse(`${is} above MaxValue ${max}`, `give at most ${max}`);
  } else if (!kind.list) {
    const length = items[0]!.length;
    if (spec.MinLength !== undefined && length < Number(spec.MinLength))
      refuse(`is shorter than MinLength ${spec.MinLength}`, `give at least ${spec.MinLength} characters`);
    if (spec.MaxLength !== undefined && length > Number(spec.MaxLength))
      refuse(`is longer than MaxLength ${spec.MaxLength}`, `give at most ${spec.MaxLength} characters`);
  }
  if (Array.isArray(spec.AllowedValues)) {
    const allowed = spec.AllowedValues.map(String);
    const ok = (x: string) => allowed.includes(x) || (kind.number && allowed.some((a) => NUMBER.test(a) && Number(a) === Number(x)));
    if (!items.every(ok))
      refuse(
        `is not ${kind.list ? "made of" : "one of"} AllowedValues (${allowed.join(", ")})`,
        `give ${kind.list ? "items from that list" : "one of them"}`,
      );
  }
  if (typeof spec.AllowedPattern === "string") {
    const pattern = spec.AllowedPattern;
    let re: RegExp | null = null;
    try {
      if (!nestedRepetition(pattern)) re = new RegExp(`^(?:${pattern})$`);
    } catch {
      re = null;
    }
    if (!re) {
      warnings.push({
        code: "unchecked-pattern",
        message: `${at.join(".")}.AllowedPattern is not checked by Sprout (it is not a JavaScript regular expression, or it repeats a repetition, which can take JavaScript very long): AWS checks it when it deploys`,
      });
    } else if (!items.every((x) => re.test(x))) {
      const description = typeof spec.ConstraintDescription === "string" ? ` (${spec.ConstraintDescription})` : "";
      refuse(`does not match AllowedPattern ${pattern}${description}`, "give a value that matches it");
    }
  }
}
