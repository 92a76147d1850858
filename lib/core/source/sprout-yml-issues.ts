// Problems found in a sprout.yml and where they are: the line of the key or value at fault, the
// dotted field, the reason. Pure.
import { isAlias, isMap, isPair, isScalar, isSeq } from "yaml";
import type { Document, LineCounter, Node } from "yaml";

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

export interface TSproutYmlIssue {
  line: number | null;
  /** Dotted field, e.g. `services.billing-api.path`; null for the file as a whole. */
  field: string | null;
  reason: string;
}

/** Every problem found in one sprout.yml. `message` lists them all, one per line, in line order. */
export class SproutYmlError extends Error {
  readonly file: string;
  readonly line: number | null;
  readonly issues: TSproutYmlIssue[];
  constructor(file: string, issues: TSproutYmlIssue[]) {
    const sorted = [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    super(sorted.map((i) => formatIssue(file, i)).join("\n"));
    this.name = "SproutYmlError";
    this.file = file;
    this.line = sorted[0]?.line ?? null;
    this.issues = sorted;
  }
}

export function formatIssue(file: string, issue: TSproutYmlIssue): string {
  const where = issue.line === null ? file : `${file} line ${issue.line}`;
  return issue.field ? `${where}: ${issue.field}: ${issue.reason}` : `${where}: ${issue.reason}`;
}

export type TPath = (string | number)[];

export function formatField(path: readonly PropertyKey[]): string | null {
  if (path.length === 0) return null;
  return path.map((seg, i) => (typeof seg === "number" ? `[${seg}]` : i === 0 ? String(seg) : `.${String(seg)}`)).join("");
}

/** The line of the node at `path`: a scalar's own line, else the line of the key that names it. */
export function lineOf(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): number | null {
  const lineAt = (n: Node | null | undefined) => (n?.range ? lc.linePos(n.range[0]).line : null);
  let node: unknown = doc.contents;
  let keyLine: number | null = lineAt(doc.contents);
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return keyLine;
      keyLine = lineAt(pair.key as Node) ?? keyLine;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
      keyLine = lineAt(node as Node) ?? keyLine;
    } else return keyLine;
  }
  return isScalar(node) ? (lineAt(node) ?? keyLine) : keyLine;
}

const ALLOWED_KEYS: Record<string, string[]> = {
  root: ["services", "stages"],
  service: ["path", "build", "template", "dependsOn"],
  stage: ["services"],
  stageService: ["parameters"],
};

export function unknownKeyReason(key: string, parent: readonly PropertyKey[]): string {
  const kind = parent.length === 0 ? "root" : parent[0] === "services" ? "service" : parent.length === 2 ? "stage" : "stageService";
  const allowed = ALLOWED_KEYS[kind]!;
  const near = allowed.find((a) => editDistance(a.toLowerCase(), key.toLowerCase()) <= 2);
  const hint = near ? `did you mean "${near}"?` : `allowed keys: ${allowed.join(", ")}`;
  return `unknown key "${clip(key)}": ${hint}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
