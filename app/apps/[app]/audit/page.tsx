import type { Metadata } from "next";
import Link from "next/link";
import { listAudit, ZAuditQuery } from "@/lib/server/data/audit";
import { pageAccess } from "@/lib/server/page-access";
import { actorLabel } from "@/lib/core/roles";
import { auditTargetHref } from "@/lib/core/audit-links";
import { PageHeader } from "@/components/page-header";
import { TimeAgo } from "@/components/time-ago";
import type { TAuditEventJson } from "@/lib/core/contracts";

export const dynamic = "force-dynamic";

type TProps = PageProps<"/apps/[app]/audit">;

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  return { title: `Audit · ${(await params).app}` };
}

const ACTION_LABEL: Record<string, string> = {
  deploy: "Deploy",
  rollback: "Rollback",
  redeploy: "Redeploy",
  cancel: "Cancel",
  promote: "Promote",
  approve: "Approved",
  reject: "Rejected",
  "stage.pin": "Stage pinned",
  "stage.unpin": "Stage unpinned",
  "notification.create": "Notification added",
  "notification.delete": "Notification removed",
  "notification.test": "Notification tested",
  "app.create": "App created",
  "stage.create": "Stage added",
  "stage.update": "Stage settings changed",
  "stage.refresh": "Refreshed from account",
  "member.add": "Member added",
  "member.update": "Member's role changed",
  "member.remove": "Member removed",
  "token.create": "Token created",
  "token.revoke": "Token revoked",
};

/** The detail worth a glance: "to #11", "viewer → deployer", "role deployer", "driver: sandbox → cloudformation". */
function detailText(e: TAuditEventJson): string {
  const d = e.detail ?? {};
  if (typeof d.rollbackOf === "number") {
    const only = Array.isArray(d.services) ? ` · only ${d.services.join(", ")}` : "";
    return `to #${d.rollbackOf}${only}${typeof d.reason === "string" ? ` · reason: ${d.reason}` : ""}`;
  }
  if (typeof d.promotedFrom === "string") return `from ${d.promotedFrom}${d.force ? " · forced into a pinned stage" : ""}`;
  if (e.action === "stage.pin")
    return `to #${d.build} by rollback #${d.rollback}${typeof d.reason === "string" ? ` · reason: ${d.reason}` : ""}`;
  if (e.action === "stage.unpin") return `was pinned to #${d.build}${typeof d.because === "string" ? ` · ${d.because}` : ""}`;
  if (typeof d.redeployOf === "number") return `of #${d.redeployOf}`;
  if (e.action === "member.update") return `${d.from} → ${d.to}`;
  if (e.action === "member.add") return `role ${d.role}${d.accountCreated ? ", account created" : ""}`;
  if (e.action === "token.create") return `role ${d.role}`;
  if (e.action === "stage.refresh") return Array.isArray(d.drift) && d.drift.length ? `drift: ${d.drift.join(", ")}` : "in sync";
  if (e.action === "stage.update") {
    const parts = Object.entries(d).map(([k, v]) => `${k}: ${(v as { from: unknown }).from ?? "—"} → ${(v as { to: unknown }).to ?? "—"}`);
    return parts.join("; ") || "no change";
  }
  return "";
}

// Server-rendered and paged with links (?before=<id>): the trail is read, rarely watched live.
export default async function AuditPage({ params, searchParams }: TProps) {
  const { app } = await params;
  const { app: appRef } = await pageAccess(app);
  // a hand-edited ?before= that is no id shows the newest page rather than an error
  const query = ZAuditQuery.safeParse({ before: [(await searchParams).before].flat()[0] });
  const before = query.success ? query.data.before : undefined;
  const { events, nextBefore } = await listAudit({ app: appRef, query: query.success ? query.data : undefined });
  return (
    <>
      <PageHeader
        eyebrow="Audit"
        title={app}
        subtitle={
          <>
            <Link href={`/apps/${app}`} className="hover:text-slate-700 hover:underline">
              {app}
            </Link>
            {" · who did what, newest first"}
          </>
        }
      />
      <section className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xs">
        {events.length === 0 ? (
          <p className="px-5 py-12 text-center text-sm text-slate-600">Nothing recorded{before ? " before this point" : " yet"}.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <thead className="bg-slate-50 text-xs text-slate-600">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">
                    When
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Who
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    What
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Target
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Detail
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100" data-testid="audit-events">
                {events.map((e) => (
                  <tr key={e.id} data-testid="audit-event" data-action={e.action}>
                    <td className="px-5 py-2.5 whitespace-nowrap text-slate-600">
                      <TimeAgo iso={e.createdAt} />
                    </td>
                    <td className="px-3 py-2.5 text-slate-800" title={e.actor}>
                      {actorLabel(e.actor)}
                    </td>
                    <td className="px-3 py-2.5 font-medium whitespace-nowrap text-slate-900">{ACTION_LABEL[e.action] ?? e.action}</td>
                    <td className="px-3 py-2.5 text-slate-700">
                      <AuditTarget href={auditTargetHref(app, e)}>{e.target}</AuditTarget>
                    </td>
                    <td className="px-3 py-2.5 text-xs text-slate-600">{detailText(e)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {(nextBefore || before) && (
          <div className="flex justify-between border-t border-slate-100 px-5 py-3 text-sm">
            {before ? (
              <Link href={`/apps/${app}/audit`} className="font-medium text-blue-700 hover:underline">
                Newest
              </Link>
            ) : (
              <span />
            )}
            {nextBefore && (
              <Link href={`/apps/${app}/audit?before=${nextBefore}`} className="font-medium text-blue-700 hover:underline">
                Older
              </Link>
            )}
          </div>
        )}
      </section>
    </>
  );
}

function AuditTarget({ href, children }: { href: string | null; children: React.ReactNode }) {
  if (!href) return <>{children}</>;
  return (
    <Link href={href} prefetch={false} className="font-medium text-blue-700 underline-offset-2 hover:underline">
      {children}
    </Link>
  );
}
