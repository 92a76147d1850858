"use client";

import { useQuery } from "@tanstack/react-query";
import { apiGet, apiPaths } from "@/lib/client/api-client";
import { queryKeys } from "@/lib/client/query-keys";
import type { TDeliveryJson } from "@/lib/core/contracts";
import { TimeAgo } from "@/components/time-ago";

const STATUS_STYLE: Record<TDeliveryJson["status"], string> = {
  pending: "text-amber-800",
  delivered: "text-emerald-700",
  failed: "text-red-700",
};

/** A target's newest deliveries: event, status, attempts, the last error and HTTP status; refreshed while one is pending. */
export function DeliveryLog({ app, stage, id }: { app: string; stage: string; id: number }) {
  const log = useQuery({
    queryKey: queryKeys.deliveries(app, stage, id),
    queryFn: ({ signal }) => apiGet<{ deliveries: TDeliveryJson[] }>(apiPaths.deliveries(app, stage, id), signal).then((r) => r.deliveries),
    refetchInterval: (q) => (q.state.data?.some((d) => d.status === "pending") !== false ? 2000 : false),
  });
  if (log.isPending) return <p className="text-xs text-slate-600">Loading deliveries…</p>;
  if (log.error) return <p className="text-xs text-red-700">{log.error.message}</p>;
  if (!log.data.length) return <p className="text-xs text-slate-600">No deliveries yet.</p>;
  return (
    <table className="w-full text-left text-xs" data-testid="delivery-log">
      <thead className="text-slate-600">
        <tr>
          <th className="py-1 font-medium">Event</th>
          <th className="py-1 font-medium">Status</th>
          <th className="py-1 font-medium">Attempts</th>
          <th className="py-1 font-medium">Answer</th>
          <th className="py-1 font-medium">When</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {log.data.map((d) => (
          <tr key={d.id} data-delivery={d.id} data-status={d.status}>
            <td className="py-1 font-mono">{d.event}</td>
            <td className={`py-1 font-medium ${STATUS_STYLE[d.status]}`}>{d.status}</td>
            <td className="py-1">{d.attempts}</td>
            <td className="py-1 break-all text-slate-700">
              {d.responseCode !== null ? `HTTP ${d.responseCode}` : ""}
              {d.lastError ? `${d.responseCode !== null ? " · " : ""}last error: ${d.lastError}` : ""}
            </td>
            <td className="py-1 text-slate-600">
              <TimeAgo iso={d.updatedAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
