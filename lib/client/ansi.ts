import "client-only";
// ANSI colours in log lines (anser parses them) as styles for a dark log panel. Anser's own colours
// assume pure black and make blue unreadable; this palette is tuned for slate-950.
import Anser from "anser";

const BASE: Record<string, string> = {
  black: "#64748b",
  red: "#f87171",
  green: "#4ade80",
  yellow: "#facc15",
  blue: "#60a5fa",
  magenta: "#e879f9",
  cyan: "#22d3ee",
  white: "#e2e8f0",
  "bright-black": "#94a3b8",
  "bright-red": "#fca5a5",
  "bright-green": "#86efac",
  "bright-yellow": "#fde047",
  "bright-blue": "#93c5fd",
  "bright-magenta": "#f0abfc",
  "bright-cyan": "#67e8f9",
  "bright-white": "#f8fafc",
};
const ORDER = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

function xterm256(n: number): string {
  if (n < 8) return BASE[ORDER[n]!]!;
  if (n < 16) return BASE[`bright-${ORDER[n - 8]}`]!;
  if (n < 232) {
    const c = n - 16;
    const v = (x: number) => (x === 0 ? 0 : 55 + x * 40);
    return `rgb(${v(Math.floor(c / 36))}, ${v(Math.floor(c / 6) % 6)}, ${v(c % 6)})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g}, ${g}, ${g})`;
}

function colour(cls: string | null, truecolor: string | null): string | undefined {
  if (!cls) return undefined;
  if (cls === "ansi-truecolor") return truecolor ? `rgb(${truecolor})` : undefined;
  if (cls.startsWith("ansi-palette-")) return xterm256(Number(cls.slice("ansi-palette-".length)));
  return BASE[cls.slice("ansi-".length)];
}

export interface TAnsiSpan {
  text: string;
  style?: { color?: string; backgroundColor?: string; fontWeight?: number; fontStyle?: string; textDecoration?: string; opacity?: number };
}

const cache = new Map<string, TAnsiSpan[]>();

/** The spans of one line. Plain lines (the most) skip the parser. */
export function ansiSpans(text: string): TAnsiSpan[] {
  if (!text.includes("\u001b")) return [{ text }];
  const hit = cache.get(text);
  if (hit) return hit;
  const spans = Anser.ansiToJson(text, { use_classes: true, remove_empty: true }).map((e): TAnsiSpan => {
    const d = e.decorations ?? [];
    const style: TAnsiSpan["style"] = {
      color: colour(e.fg, e.fg_truecolor),
      backgroundColor: colour(e.bg, e.bg_truecolor),
      fontWeight: d.includes("bold") ? 600 : undefined,
      fontStyle: d.includes("italic") ? "italic" : undefined,
      textDecoration: d.includes("underline") ? "underline" : d.includes("strikethrough") ? "line-through" : undefined,
      opacity: d.includes("dim") ? 0.7 : undefined,
    };
    return { text: e.content, style };
  });
  if (cache.size > 5000) cache.clear(); // bounded: only the lines on screen are parsed
  cache.set(text, spans);
  return spans;
}
