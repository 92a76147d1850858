// Log lines come from drivers and from the tools they run; a credential must never reach the
// database or a browser. Mask anything that looks like one.
const PATTERNS: [RegExp, string | ((...m: string[]) => string)][] = [
  [/\b(AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b/g, "$1****************"],
  [
    /\b(aws_secret_access_key|secret_?access_?key|secretkey|session_?token|password|passwd|secret|token|api_?key|authorization)(\s*[=:]\s*|"\s*:\s*")(Bearer\s+)?([^\s"',;]{4,})/gi,
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
