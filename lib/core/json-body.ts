// The rules a JSON request body must meet before Sprout reads it: its media type, its size, how
// deep it nests (deep nesting costs a deep recursion in everything that walks it later) and no NUL
// character anywhere (PostgreSQL's text cannot hold one). Pure: lib/server/http.ts applies them.

/** How deep arrays and objects may nest in a body (a CloudFormation template rarely passes 20). */
export const MAX_JSON_DEPTH = 100;

/** "6 MB", "100 KB": a limit as the error message names it. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

/** Whether a Content-Type names JSON: application/json (any parameters) or a +json type. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** The deepest nesting of arrays and objects in JSON text, counted without parsing it (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: the next character is escaped
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** The path of the first key or string value holding a NUL character ("services[0].template.Resources"), else null. */
export function findNul(value: unknown, path = ""): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path || "body" : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (k.includes("\u0000")) return at.replace(/\u0000/g, "\\u0000");
      const found = findNul(v, at);
      if (found) return found;
    }
  }
  return null;
}
