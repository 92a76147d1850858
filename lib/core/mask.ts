// Log lines come from drivers and from the tools they run; a credential must never reach the
// database or a browser. Mask anything that looks like one.
const PATTERNS: [RegExp, string | ((...m: string[]) => string)][] = [
  [/\b(AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b/g, "$1****************"],
  [
    /(?<!\{\{)\b(aws_secret_access_key|secret_?access_?key|secretkey|session_?token|password|passwd|secret|token|api_?key|authorization)(\s*[=:]\s*|"\s*:\s*")(Bearer\s+)?([^\s"',;]{4,})/gi,
    (_m, key: string, sep: string, bearer = "") => `${key}${sep}${bearer}****`,
  ],
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{12,}/g, "$1 ****"],
  [/(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/g, "$1****@"],
];

// A colour code glued to a word ("\u001b[31mpassword=...") would hide its word boundary: mask the
// text between colour codes, each part on its own.
const ANSI = /(\u001b\[[0-9;]*m)/;

export function maskSecrets(text: string): string {
  return text
    .split(ANSI)
    .map((part) => {
      if (ANSI.test(part)) return part;
      let out = part;
      for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement as string);
      return out;
    })
    .join("");
}

/** What a masked secret value becomes. */
export const MASK = "****";

/** The texts to hide for each secret: the value, its JSON-escaped form, and each long enough line of a multi-line one. */
function needles(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    out.add(secret);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out.add(escaped);
    // log lines are split at line ends: a multi-line secret (a key file) shows one line at a time
    if (/[\r\n]/.test(secret)) for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 4) out.add(line.trim());
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * A masker for a stage's secret values: each is replaced by **** wherever it appears, inside a
 * longer line too, then maskSecrets hides what looks like a credential. For logs, step and build
 * errors and notifications: whatever leaves the worker with a build's words in it.
 */
export function secretMasker(secrets: readonly string[]): (text: string) => string {
  const hide = needles(secrets);
  return (text) => {
    let out = text;
    for (const needle of hide) if (out.includes(needle)) out = out.split(needle).join(MASK);
    return maskSecrets(out);
  };
}
