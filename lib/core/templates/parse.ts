// Template text -> plain JSON data, with a way back from a path to its line. Everything recursive
// here runs only after the nesting was measured, so no template can overflow the stack; aliases and
// size are counted while converting, so no template can make the conversion run away.
import { CST, Lexer, LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit } from "yaml";
import type { Document, Node, YAMLSeq } from "yaml";
import { TemplateError, isObject, setKey, type TJson, type TPath } from "./errors";
import { jsonErrorOffset, jsonTooDeepAt, lineAt } from "./json-text";
import { Budget, MAX_ANALYSIS_MS, MAX_TEMPLATE_BYTES, MAX_TEMPLATE_DEPTH, MAX_YAML_ALIASES } from "./limits";

/** CloudFormation's YAML short forms, `!Name`, and the long key each stands for. */
export const SHORT_FORMS: Record<string, string> = Object.fromEntries(
  [
    "Ref",
    "Condition",
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
    "Transform",
  ].map((name) => [`!${name}`, name === "Ref" || name === "Condition" ? name : `Fn::${name}`]),
);
const SHORT_FORM_LIST = Object.keys(SHORT_FORMS).join(", ");
const YAML_CORE_TAG = "tag:yaml.org,2002:";

export interface TParsed {
  root: TJson;
  /** The line of a path in the text, or of the deepest part of it that the text has. */
  lineOf: (path: TPath) => number | null;
  /** What the text expanded to so far: Fn::ForEach keeps counting on it. */
  budget: Budget;
}

/** UTF-8 bytes of a string, without allocating them. */
export function utf8Bytes(s: string): number {
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 1; // a surrogate pair: 4 bytes for 2 units
      i++;
    } else if (c >= 0x800) bytes += 2;
    else if (c >= 0x80) bytes += 1;
  }
  return bytes;
}

const limitFix = "simplify the template or split the service into smaller stacks";

/** `timeMs`: the time budget for reading the template, parsing and analysis both (tests set it). */
export function parseText(raw: string, service: string | null, timeMs = MAX_ANALYSIS_MS): TParsed {
  const text = raw.replace(/^\uFEFF/, "");
  const error = (reason: string, line: number | null = null) => new TemplateError(reason, line, service);
  if (text.length > MAX_TEMPLATE_BYTES || utf8Bytes(text) > MAX_TEMPLATE_BYTES) {
    const kb = Math.ceil(utf8Bytes(text) / 1024);
    throw error(
      `the template is ${kb} KB, over the limit of 1 MB (${MAX_TEMPLATE_BYTES.toLocaleString("en-US")} bytes) that CloudFormation sets for a template: ${limitFix}`,
    );
  }
  const tooBig = (what: string): never => {
    throw error(
      `the template expands to ${what}, over Sprout's limit for one template: ${limitFix} (YAML aliases and Fn::ForEach count as often as they are used)`,
    );
  };
  const tooSlow = (ms: number): never => {
    throw error(
      `reading the template took more than ${(ms / 1000).toLocaleString("en-US")} seconds, over Sprout's time limit for one template: ${limitFix}`,
    );
  };
  const budget = new Budget(tooBig, tooSlow, timeMs);
  const tooDeep = (line: number | null) =>
    error(`the template nests more than ${MAX_TEMPLATE_DEPTH} levels deep, over Sprout's limit: flatten it (${limitFix})`, line);
  const { root, lineOf } = text.trimStart().startsWith("{") ? readJson(text, error, tooDeep) : readYaml(text, budget, error, tooDeep);
  if (!isObject(root)) throw error("the template must be a mapping (Resources, Outputs, ...) at its top level", lineOf([]));
  budget.checkTime();
  return { root, lineOf, budget };
}

type TErr = (reason: string, line?: number | null) => TemplateError;

function readJson(text: string, error: TErr, tooDeep: (line: number) => TemplateError) {
  const deepAt = jsonTooDeepAt(text, MAX_TEMPLATE_DEPTH);
  if (deepAt >= 0) throw tooDeep(lineAt(text, deepAt));
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : jsonErrorOffset(text);
    const reason = message.replace(/ in JSON at position \d+.*$/s, "").replace(/, .*is not valid JSON$/s, "");
    throw error(`invalid JSON: ${reason}`, lineAt(text, offset));
  }
  // JSON is YAML: its node ranges locate errors; only parsed when an error needs a line.
  const lineOf = (path: TPath) => {
    const lines = new LineCounter();
    const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines, uniqueKeys: false });
    return nodeLine(doc, lines, path);
  };
  return { root, lineOf };
}

/**
 * The offset where flow collections (`[`, `{`) open level `max + 1`, or -1. The yaml library
 * exhausts memory on some 10,000-deep flow texts, so they must never reach it; its own lexer
 * knows quotes and comments. Counting brackets first spares the lexer for most templates.
 */
function yamlFlowTooDeepAt(text: string, max: number): number {
  let opens = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 91 || c === 123) && !(c === 123 && i > 0 && (text[i - 1] === "$" || text[i - 1] === "&"))) opens++;
  }
  if (opens <= max) return -1;
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === "[" || token === "{") {
      if (++depth > max) return offset;
    } else if (token === "]" || token === "}") depth--;
    if (token !== "\x02" && token !== "\x18" && token !== "\x1f") offset += token.length;
  }
  return -1;
}

/**
 * The alias (`*name`) past the first `max`, with its offset, or null. Found by the lexer, a third
 * of a parse's cost, so that an alias bomb is refused before the document is built; counting `*`
 * first spares the lexer for most templates.
 */
function yamlAliasPastLimit(text: string, max: number): { source: string; offset: number } | null {
  let stars = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 42) stars++;
  if (stars <= max) return null;
  let aliases = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (CST.tokenType(token) === "alias" && ++aliases > max) return { source: token.slice(1), offset };
    if (token !== "\x02" && token !== "\x18" && token !== "\x1f") offset += token.length;
  }
  return null;
}

function readYaml(text: string, budget: Budget, error: TErr, tooDeep: (line: number | null) => TemplateError) {
  const lines = new LineCounter();
  const deepAt = yamlFlowTooDeepAt(text, MAX_TEMPLATE_DEPTH);
  if (deepAt >= 0) throw tooDeep(lineAt(text, deepAt));
  const tooManyAliases = (source: string, line: number | null) =>
    error(
      `the template uses more than ${MAX_YAML_ALIASES} YAML aliases (*${source}), over Sprout's limit: repeat the text instead, or ${limitFix}`,
      line,
    );
  const pastLimit = yamlAliasPastLimit(text, MAX_YAML_ALIASES);
  if (pastLimit) throw tooManyAliases(pastLimit.source, lineAt(text, pastLimit.offset));
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines, uniqueKeys: true });
  budget.checkTime();
  const lineOfNode = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : null);
  const problem = doc.errors[0];
  if (problem) {
    const hint = problem.code === "MULTIPLE_TAGS" ? " (short forms cannot nest directly: write `Fn::ImportValue: !Sub ...`)" : "";
    throw error(`invalid YAML: ${problem.message}${hint}`, lines.linePos(problem.pos[0]).line);
  }
  // Counted again in the document (the lexer's count is the cheap first look), before anything is expanded.
  let aliases = 0;
  visit(doc, {
    Alias(_, alias) {
      if (++aliases > MAX_YAML_ALIASES) throw tooManyAliases(alias.source, lineOfNode(alias as Node));
    },
  });
  const inProgress = new Set<Node>();
  const targets = new Map<unknown, Node | undefined>(); // Alias.resolve searches the whole document
  const resolve = (alias: Parameters<typeof isAlias>[0] & { resolve(doc: Document.Parsed): Node | undefined }) => {
    if (!targets.has(alias)) targets.set(alias, alias.resolve(doc));
    return targets.get(alias);
  };
  const convert = (node: unknown, depth: number): unknown => {
    if (node === null || node === undefined) return (budget.node(), null);
    if (depth > MAX_TEMPLATE_DEPTH) throw tooDeep(lineOfNode(node as Node));
    if (isAlias(node)) {
      const target = resolve(node);
      if (!target) throw error(`YAML alias *${node.source} names no anchor &${node.source} before it`, lineOfNode(node));
      if (inProgress.has(target)) throw error(`YAML alias *${node.source} refers to a node that contains it`, lineOfNode(node));
      return convert(target, depth);
    }
    const yamlNode = node as Node;
    const anchored = Boolean(yamlNode.anchor); // only an anchored node can be an alias's target
    if (anchored) inProgress.add(yamlNode);
    let value: unknown;
    if (isScalar(yamlNode)) {
      value = yamlNode.value;
      budget.node(typeof value === "string" ? value.length : 0);
    } else if (isMap(yamlNode)) {
      const obj: TJson = {};
      for (const pair of yamlNode.items) {
        const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
        if (key !== null && !isScalar(key))
          throw error("a mapping key must be a plain string, not a mapping or a list", lineOfNode(key as Node));
        const name = String(key?.value ?? "");
        budget.node(name.length);
        setKey(obj, name, convert(pair.value, depth + 1));
      }
      value = obj;
    } else {
      // a YAMLSeq: the only other kind of node
      value = (yamlNode as YAMLSeq).items.map((item) => {
        if (!isPair(item)) return convert(item, depth + 1);
        const key = String((item.key as { value?: unknown } | null)?.value ?? "");
        return { [key]: convert(item.value, depth + 1) }; // `- ? key : value`, rare
      });
      budget.node();
    }
    if (anchored) inProgress.delete(yamlNode);
    const tag = yamlNode.tag;
    if (!tag || tag.startsWith(YAML_CORE_TAG)) return value;
    const long = SHORT_FORMS[tag];
    if (!long) {
      throw error(
        `${tag} is not a tag CloudFormation knows (it knows ${SHORT_FORM_LIST}): a tool's own tag (e.g. rain's !Rain::Embed) must be expanded by that tool before the template is given to Sprout`,
        lineOfNode(yamlNode),
      );
    }
    budget.node();
    if (long === "Fn::GetAtt" && typeof value === "string") {
      const dot = value.indexOf(".");
      return { [long]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
    }
    return { [long]: value ?? "" };
  };
  const root = convert(doc.contents, 0);
  return { root, lineOf: (path: TPath) => nodeLine(doc, lines, path) };
}

/** Walks the YAML nodes along a path; a short form's node stands for its long key too. */
function nodeLine(doc: Document.Parsed, lines: LineCounter, path: TPath): number | null {
  let node: unknown = doc.contents;
  let offset: number | null = (doc.contents as Node | null)?.range?.[0] ?? null;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    const tag = (node as Node | null)?.tag;
    if (tag && SHORT_FORMS[tag] === seg) continue;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number" && node.items[seg]) {
      node = node.items[seg];
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
  }
  return offset === null ? null : lines.linePos(offset).line;
}
