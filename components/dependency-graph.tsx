import type { TServiceEdge, TServiceNode } from "@/lib/core/contracts";
import { layoutLayers } from "@/lib/core/graph-layout";

const W = 184;
const H = 54;
const GAP_X = 96;
const GAP_Y = 22;
const PAD = 12;

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The services as boxes, layered left to right by dependency depth; an arrow runs from producer to consumer. */
export function DependencyGraph({ services, edges }: { services: TServiceNode[]; edges: TServiceEdge[] }) {
  if (services.length === 0) return <p className="p-6 text-sm text-slate-600">No services yet: the first deploy creates them.</p>;
  const { nodes, columns } = layoutLayers(
    services.map((s) => s.name),
    edges,
  );
  const tallest = Math.max(...columns.map((c) => c.length));
  const width = PAD * 2 + columns.length * W + (columns.length - 1) * GAP_X;
  const height = PAD * 2 + tallest * H + (tallest - 1) * GAP_Y;
  const pos = new Map(
    nodes.map((n) => {
      const colHeight = columns[n.depth]!.length * (H + GAP_Y) - GAP_Y;
      return [n.name, { x: PAD + n.depth * (W + GAP_X), y: PAD + (height - 2 * PAD - colHeight) / 2 + n.row * (H + GAP_Y) }];
    }),
  );
  const byName = new Map(services.map((s) => [s.name, s]));

  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      className="h-auto w-full"
      style={{ maxWidth: width }}
      role="img"
      aria-label={`Service dependencies: ${edges.map((e) => `${e.from} before ${e.to}`).join(", ") || "none"}`}
    >
      <defs>
        <marker id="dep-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0 0 10 5 0 10z" className="fill-slate-400" />
        </marker>
        <marker id="dep-arrow-hover" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0 0 10 5 0 10z" className="fill-blue-600" />
        </marker>
      </defs>
      {edges.map((e) => {
        const a = pos.get(e.from)!;
        const b = pos.get(e.to)!;
        const [x1, y1, x2, y2] = [a.x + W, a.y + H / 2, b.x - 2, b.y + H / 2];
        const dx = Math.max(40, Math.abs(x2 - x1) / 2);
        const d = `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
        const label = e.exports.length ? e.exports.join(", ") : "dependsOn";
        return (
          <g key={`${e.from}->${e.to}`} className="group" data-edge={`${e.from}->${e.to}`}>
            <title>{`${e.from} → ${e.to}: ${e.exports.length ? `imports ${e.exports.join(", ")}` : ""}${e.exports.length && e.dependsOn ? "; " : ""}${e.dependsOn ? "declared in dependsOn" : ""}`}</title>
            <path d={d} fill="none" stroke="transparent" strokeWidth="14" />
            <path
              d={d}
              fill="none"
              strokeWidth="1.5"
              strokeDasharray={e.exports.length ? undefined : "4 3"}
              className="stroke-slate-400 group-hover:hidden"
              markerEnd="url(#dep-arrow)"
            />
            <path
              d={d}
              fill="none"
              strokeWidth="2"
              className="hidden stroke-blue-600 group-hover:inline"
              markerEnd="url(#dep-arrow-hover)"
            />
            <text
              x={(x1 + x2) / 2}
              y={(y1 + y2) / 2 - 8}
              textAnchor="middle"
              className="pointer-events-none fill-blue-700 font-mono text-[10px] opacity-0 transition-opacity group-hover:opacity-100"
              style={{ paintOrder: "stroke", stroke: "white", strokeWidth: 4 }}
            >
              {clip(label, 40)}
            </text>
          </g>
        );
      })}
      {nodes.map((n) => {
        const s = byName.get(n.name)!;
        const p = pos.get(n.name)!;
        const live = s.liveIn !== null;
        const detail = s.error
          ? "template unreadable"
          : live
            ? `${count(s.exports.length, "export")} · ${count(s.imports.length, "import")}`
            : "not deployed";
        return (
          <g key={n.name} transform={`translate(${p.x},${p.y})`} data-service={n.name}>
            <title>
              {[
                n.name,
                live ? `live in ${s.liveIn}` : "not deployed",
                ...s.exports.map((x) => `exports ${x}`),
                ...s.imports.map((x) => `imports ${x}`),
                s.error ?? "",
              ]
                .filter(Boolean)
                .join("\n")}
            </title>
            <rect
              width={W}
              height={H}
              rx="10"
              strokeWidth="1"
              strokeDasharray={live ? undefined : "4 3"}
              className={live ? "fill-white stroke-slate-300" : "fill-slate-50 stroke-slate-300"}
            />
            <rect
              x="12"
              y="14"
              width="4"
              height={H - 28}
              rx="2"
              className={s.error ? "fill-red-400" : live ? "fill-emerald-500" : "fill-slate-300"}
            />
            <text x="26" y="23" className={`text-[13px] font-semibold ${live ? "fill-slate-800" : "fill-slate-600"}`}>
              {clip(n.name, 21)}
            </text>
            <text x="26" y="40" className="fill-slate-600 text-[11px]">
              {detail}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
