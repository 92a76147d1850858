// Canonical texts: equal text = same value. An export's value is kept as one such text in the
// planner's service state; its first character tells a value Sprout knows from one only AWS knows.
import { isObject } from "./errors";
import { NO_VALUE, Unknown } from "./intrinsics";

export { isKnownExportValue } from "../domain";

/** JSON with keys sorted at every level. */
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

/**
 * The canonical text of an evaluated Output value: a JSON string (`"arn:aws:..."`) when Sprout
 * knows the value, else the canonical JSON of the expression left for AWS (`{"Ref":"Topic"}`).
 */
export function exportValueText(value: unknown): string {
  if (value instanceof Unknown) return canonicalJson(value.expr);
  if (value === NO_VALUE || value === null) return '""';
  if (typeof value === "object") return canonicalJson(value); // a list: CloudFormation wants a string; AWS decides
  return JSON.stringify(String(value));
}
