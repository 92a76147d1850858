// The template's Conditions for this stage: true, false, or Unknown when they depend on a value
// only AWS knows (an SSM parameter, say). Named conditions are evaluated once, on demand.
import { canonicalJson } from "./canonical";
import { isObject, type TFail, type TJson, type TPath } from "./errors";
import { EXPRESSION_TOO_DEEP, MAX_EXPRESSION_DEPTH, Unknown, evaluate, type TEnv } from "./intrinsics";

const CONDITION_FUNCTIONS = "Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition";

type TTruth = boolean | Unknown;

/** Comparable text of a value: Fn::Equals compares `1` and `"1"` alike, as CloudFormation does. */
const comparable = (v: unknown) => (typeof v === "number" || typeof v === "boolean" ? String(v) : canonicalJson(v));

export function conditionReader(conditions: TJson, fail: TFail, env: () => TEnv): (name: string, path: TPath) => TTruth {
  const memo = new Map<string, TTruth>();
  const chain: string[] = [];

  const named = (name: string, path: TPath): TTruth => {
    if (memo.has(name)) return memo.get(name)!;
    if (!Object.hasOwn(conditions, name))
      return fail(path, `names condition ${name}, which is not in Conditions: declare it under Conditions, or use one that is`);
    if (chain.includes(name))
      return fail(["Conditions", name], `refers to itself: ${[...chain.slice(chain.indexOf(name)), name].join(" -> ")}`);
    chain.push(name);
    const truth = holds(conditions[name], ["Conditions", name]);
    chain.pop();
    memo.set(name, truth);
    return truth;
  };

  const all = (items: unknown, path: TPath, fn: string): TTruth[] => {
    if (!Array.isArray(items) || items.length === 0) return fail(path, `${fn} takes a list of conditions (${CONDITION_FUNCTIONS})`);
    return items.map((item, i) => holds(item, [...path, i]));
  };

  // Counted with the expressions being evaluated: a chain of conditions must not overflow the stack.
  const holds = (expr: unknown, path: TPath): TTruth => {
    const state = env();
    if (++state.depth > MAX_EXPRESSION_DEPTH) return fail(path, EXPRESSION_TOO_DEEP);
    try {
      return truthOf(expr, path);
    } finally {
      state.depth--;
    }
  };

  const truthOf = (expr: unknown, path: TPath): TTruth => {
    const key = isObject(expr) && Object.keys(expr).length === 1 ? Object.keys(expr)[0]! : null;
    const arg = key === null ? undefined : (expr as TJson)[key];
    const at = key === null ? path : [...path, key];
    switch (key) {
      case "Fn::Equals": {
        if (!Array.isArray(arg) || arg.length !== 2) return fail(at, "takes a list of two values to compare");
        const [a, b] = arg.map((x, i) => evaluate(x, env(), [...at, i]));
        const unknown = [a, b].find((x): x is Unknown => x instanceof Unknown);
        return unknown ?? comparable(a) === comparable(b);
      }
      case "Fn::And":
      case "Fn::Or": {
        const truths = all(arg, at, key);
        const decisive = key === "Fn::And" ? false : true;
        if (truths.includes(decisive)) return decisive;
        return truths.find((t): t is Unknown => t instanceof Unknown) ?? !decisive;
      }
      case "Fn::Not": {
        const [truth] = all(arg, at, key);
        return truth instanceof Unknown ? truth : !truth;
      }
      case "Condition":
        if (typeof arg !== "string") return fail(at, "must name a condition");
        return named(arg, at);
      default:
        return fail(path, `must be a condition function: ${CONDITION_FUNCTIONS}`);
    }
  };

  return named;
}
