// JSON text helpers: how deep a JSON text nests (checked before JSON.parse and before anything
// recursive sees it) and where a malformed text stops being JSON (JSON.parse does not always say).

/** The offset of the first bracket that opens level `max + 1`, or -1 when the text stays within `max`. */
export function jsonTooDeepAt(s: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < s.length && s.charCodeAt(i) !== 34; i++) if (s.charCodeAt(i) === 92 /* \ */) i++;
    } else if (c === 123 || c === 91 /* { [ */) {
      if (++depth > max) return i;
    } else if (c === 125 || c === 93 /* } ] */) depth--;
  }
  return -1;
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Where the text stops being JSON. Recursive, so only for texts already known to nest shallowly. */
export function jsonErrorOffset(s: string): number {
  let i = 0;
  const atom = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  const ws = () => {
    while (i < s.length && " \t\n\r".includes(s[i]!)) i++;
  };
  const expect = (c: string) => {
    ws();
    if (s[i] !== c) throw i;
    i++;
  };
  const str = () => {
    expect('"');
    while (i < s.length && s[i] !== '"') {
      if (s.charCodeAt(i) < 32) throw i;
      i += s[i] === "\\" ? 2 : 1;
    }
    expect('"');
  };
  const value = (): void => {
    ws();
    const open = s[i];
    if (open === '"') return str();
    if (open !== "{" && open !== "[") {
      atom.lastIndex = i;
      if (!atom.test(s)) throw i;
      i = atom.lastIndex;
      return;
    }
    const close = open === "{" ? "}" : "]";
    i++;
    ws();
    if (s[i] === close) return void i++;
    for (;;) {
      if (open === "{") {
        str();
        expect(":");
      }
      value();
      ws();
      if (s[i] === close) return void i++;
      expect(",");
    }
  };
  try {
    value();
    ws();
    return i;
  } catch (at) {
    return at as number;
  }
}
