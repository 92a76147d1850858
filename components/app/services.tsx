import type { TServiceEdge, TServiceNode } from "@/lib/core/contracts";
import { DependencyGraph } from "@/components/dependency-graph";

/** The services: a dependency graph on a wide screen, the same as a list on a phone, and a table. */
export function Services({
  services,
  edges,
  warnings = [],
}: {
  services: TServiceNode[];
  edges: TServiceEdge[];
  /** what the graph could not read (a stage's AWS account) */
  warnings?: string[];
}) {
  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xs">
      <div className="border-b border-slate-100 px-5 py-3">
        <p className="text-xs text-slate-600">
          Deployed producers first: an arrow runs from the service that exports a value to the one that imports it (hover it for the
          export); a dashed arrow is a declared dependsOn.
        </p>
        {warnings.map((w) => (
          <p key={w} role="status" className="mt-2 text-xs font-medium text-amber-800" data-testid="graph-warning">
            {w}
          </p>
        ))}
      </div>
      <div className="hidden overflow-x-auto px-5 py-6 sm:block">
        <DependencyGraph services={services} edges={edges} />
      </div>
      <DependencyList services={services} edges={edges} />
      {services.length > 0 && (
        <div className="overflow-x-auto" data-testid="services-table-scroll">
          <ServiceTable services={services} />
        </div>
      )}
    </div>
  );
}

/** On a phone: each service with what it needs first. */
function DependencyList({ services, edges }: { services: TServiceNode[]; edges: TServiceEdge[] }) {
  if (services.length === 0) return <p className="p-5 text-sm text-slate-600 sm:hidden">No services yet: the first deploy creates them.</p>;
  return (
    <ul className="divide-y divide-slate-100 sm:hidden" aria-label="Service dependencies" data-testid="dependency-list">
      {services.map((s) => {
        const before = edges.filter((e) => e.to === s.name);
        return (
          <li key={s.name} className="px-5 py-2.5 text-sm">
            <span className="font-medium text-slate-900">{s.name}</span>
            <span className="text-slate-600">
              {before.length
                ? ` after ${before.map((e) => (e.exports.length ? `${e.from} (imports ${e.exports.join(", ")})` : `${e.from} (dependsOn)`)).join(", ")}`
                : " · depends on nothing"}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function ServiceTable({ services }: { services: TServiceNode[] }) {
  return (
    <table className="w-full min-w-[36rem] border-t border-slate-100 text-left text-sm">
      <thead className="bg-slate-50 text-xs text-slate-600">
        <tr>
          <th scope="col" className="px-5 py-2 font-medium">
            Service
          </th>
          <th scope="col" className="px-3 py-2 font-medium whitespace-nowrap">
            Live in
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Exports
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Imports
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {services.map((s) => (
          <tr key={s.name}>
            <th scope="row" className="px-5 py-2.5 font-medium whitespace-nowrap text-slate-800">
              {s.name}
            </th>
            <td className="px-3 py-2.5 whitespace-nowrap text-slate-700">
              {s.liveIn ?? <span className="text-slate-600">not deployed</span>}
            </td>
            <td className="px-3 py-2.5">
              <Names names={s.exports} />
            </td>
            <td className="px-3 py-2.5">
              <Names names={s.imports} />
              {s.error && <p className="mt-1 text-xs text-red-700">{s.error}</p>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Names({ names }: { names: string[] }) {
  if (names.length === 0) return <span className="text-slate-600">—</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {names.map((n) => (
        <code key={n} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-700">
          {n}
        </code>
      ))}
    </span>
  );
}
