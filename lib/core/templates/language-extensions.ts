// The AWS::LanguageExtensions transform, as far as the reader needs it before analysis: Fn::ForEach
// loops in Conditions, Resources and Outputs are expanded (keys with ${Id} and &{Id}, strings with
// ${Id}, Ref to the identifier, nested loops). Fn::Length, Fn::ToJsonString and FindInMap's
// DefaultValue are evaluated where values are (intrinsics.ts). AWS runs the transform itself on
// deploy: Sprout passes the template on as written.
import { formatPath, isObject, setKey, type TFail, type TJson, type TPath } from "./errors";
import { Unknown, evaluate, type TEnv } from "./intrinsics";
import type { Budget } from "./limits";

export const LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions";
export const FOR_EACH = /^Fn::ForEach::/;
const SECTIONS = ["Conditions", "Resources", "Outputs"] as const;

/** The names in `Transform`: a string, a list of them, or `{ Name, Parameters }` for a macro. */
export function readTransforms(root: TJson, fail: TFail): string[] {
  const t = root.Transform;
  if (t === undefined) return [];
  const name = (x: unknown, i: number | null): string => {
    if (typeof x === "string") return x;
    if (isObject(x) && typeof x.Name === "string") return x.Name;
    return fail(i === null ? ["Transform"] : ["Transform", i], "must be a transform's name, such as AWS::Serverless-2016-10-31");
  };
  return Array.isArray(t) ? t.map((x, i) => name(x, i)) : [name(t, null)];
}

/**
 * In keys, `${Id}` becomes the item and `&{Id}` the item's letters and digits; in values (every
 * string, Fn::Sub's included) only `${Id}` is replaced, as AWS does.
 */
const ID_PLACES = /([$&])\{([A-Za-z0-9]+)\}/g;
function replaceIds(s: string, ids: Map<string, string>, inKey: boolean): string {
  if (!s.includes("{")) return s;
  return s.replace(ID_PLACES, (whole, sigil: string, id: string) => {
    const value = ids.get(id);
    if (value === undefined || (sigil === "&" && !inKey)) return whole;
    return sigil === "$" ? value : value.replace(/[^0-9A-Za-z]/g, "");
  });
}

export interface TExpanded {
  root: TJson;
  /** Where an expanded path came from in the text: for error lines. */
  sourceOf: (path: TPath) => TPath;
}

/** A path as a chain of links: built at every node, turned into an array only for a message. */
type TLink = { up: TLink; seg: string | number } | null;
const at = (up: TLink, seg: string | number): TLink => ({ up, seg });
function pathOf(link: TLink): TPath {
  const path: TPath = [];
  for (let l = link; l; l = l.up) path.push(l.seg);
  return path.reverse();
}

export function expandLanguageExtensions(root: TJson, env: TEnv, budget: Budget, fail: TFail): TExpanded {
  // Each mapping made inside a loop remembers where its source is: errors then name the text's line.
  const origin = new WeakMap<object, TLink>();
  const parameters = env.params;

  const expand = (node: unknown, ids: Map<string, string>, src: TLink): unknown => {
    budget.node(typeof node === "string" ? node.length : 0);
    if (typeof node === "string") return ids.size > 0 ? replaceIds(node, ids, false) : node;
    if (Array.isArray(node)) return node.map((x, i) => expand(x, ids, at(src, i)));
    if (!isObject(node)) return node;
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === "Ref" && typeof node.Ref === "string" && ids.has(node.Ref)) return ids.get(node.Ref);
    const result: TJson = {};
    for (const key of keys) {
      if (!FOR_EACH.test(key)) {
        const renamed = ids.size > 0 ? replaceIds(key, ids, true) : key;
        if (Object.hasOwn(result, renamed))
          return fail(pathOf(at(src, key)), `becomes ${renamed}, which is already a key of ${formatPath(pathOf(src))}`);
        setKey(result, renamed, expand(node[key], ids, at(src, key)));
        continue;
      }
      const loop = at(src, key);
      const spec = node[key];
      const failAt = (i: number, reason: string) => fail([...pathOf(loop), i], reason);
      if (!Array.isArray(spec) || spec.length !== 3)
        return fail(pathOf(loop), "must be a list of three: [Identifier, [collection], { OutputKey: OutputValue }]");
      const [id, collection, body] = spec;
      if (typeof id !== "string" || !/^[A-Za-z0-9]+$/.test(id)) return failAt(0, "must be an identifier of letters and digits");
      if (ids.has(id)) return failAt(0, `${id} is already the identifier of an enclosing Fn::ForEach: give this loop another one`);
      if (parameters.has(id)) return failAt(0, `${id} is also a Parameter's name: give the loop another identifier`);
      if (!isObject(body)) return failAt(2, "must be a mapping of OutputKey to OutputValue");
      const items = evaluate(expand(collection, ids, at(loop, 1)), env, [...pathOf(loop), 1]);
      if (items instanceof Unknown) {
        return failAt(
          1,
          `uses ${items.why}; a Fn::ForEach collection must be known before deploying: list the items, or Ref a CommaDelimitedList parameter`,
        );
      }
      if (!Array.isArray(items)) return failAt(1, "must be a list, or a Ref to a CommaDelimitedList parameter");
      for (const item of items) {
        if (typeof item === "object" && item !== null)
          return failAt(1, "must list strings: each item takes the identifier's place in keys and values");
        const made = expand(body, new Map(ids).set(id, String(item)), at(loop, 2)) as TJson;
        for (const k of Object.keys(made)) {
          if (Object.hasOwn(result, k)) {
            return fail(
              pathOf(loop),
              `makes ${k} twice, or a key that ${formatPath(pathOf(src))} already has: its OutputKey must contain \${${id}} or &{${id}} so that each item makes its own key`,
            );
          }
          setKey(result, k, made[k]);
        }
      }
    }
    if (ids.size > 0) origin.set(result, src);
    return result;
  };

  const expanded: TJson = { ...root };
  for (const section of SECTIONS) {
    if (root[section] !== undefined) setKey(expanded, section, expand(root[section], new Map(), at(null, section)));
  }
  return {
    root: expanded,
    sourceOf: (path) => {
      let node: unknown = expanded;
      let found: TPath = path;
      for (let i = 0; i < path.length; i++) {
        node = isObject(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[path[i]!] : undefined;
        const link = isObject(node) ? origin.get(node) : undefined;
        if (link) found = [...pathOf(link), ...path.slice(i + 1)];
      }
      return found;
    },
  };
}
