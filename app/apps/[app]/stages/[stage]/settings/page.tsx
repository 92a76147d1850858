import type { Metadata } from "next";
import Link from "next/link";
import { getStageOf } from "@/lib/server/data/lookup";
import { loadOr404 } from "@/lib/server/page-data";
import { pageAccess } from "@/lib/server/page-access";
import { isInstanceAdmin } from "@/lib/server/auth/authz";

import { ENDPOINT_ADMIN_ONLY, permit } from "@/lib/core/roles";
import { PageHeader } from "@/components/page-header";
import { RefreshStageButton } from "@/components/refresh-stage-button";
import { StageSettingsForm } from "@/components/stage-settings-form";
import { StageSourceSettings, type TStageSourceSettings } from "@/components/stage-source-settings";
import { StageTemplateSettings, type TTemplateSettings } from "@/components/stage-template-settings";
import { db } from "@/lib/server/db";
import { listVariables } from "@/lib/server/data/stage-variables";
import { VariablesCard } from "@/components/settings/variables-card";
import { listNotifications } from "@/lib/server/data/notifications";
import { ApprovalSetting } from "@/components/settings/approval-setting";
import { NotificationsCard } from "@/components/settings/notifications-card";
import { SettingsCard } from "@/components/settings/shared";

export const dynamic = "force-dynamic";

type TProps = PageProps<"/apps/[app]/stages/[stage]/settings">;

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  const { app, stage } = await params;
  return { title: `Settings · ${stage} · ${app}` };
}

export default async function StageSettingsPage({ params }: TProps) {
  const { app, stage } = await params;
  const { actor, app: appRef, access } = await pageAccess(app);
  const st = await loadOr404(getStageOf(appRef, stage));
  const settings = {
    app,
    name: st.name,
    driver: st.driver,
    region: st.region,
    endpoint: st.endpoint,
    stackNamePattern: st.stackNamePattern,
    adoptStacks: st.adoptStacks,
    protected: st.protected,
    stepTimeoutMinutes: st.stepTimeoutMinutes,
  };
  const endpointWhy = isInstanceAdmin(actor) ? null : ENDPOINT_ADMIN_ONLY;
  const notify = permit(access, "notifications");
  const [services, { repositoryUrl }, targets] = await Promise.all([
    db.service.findMany({ where: { appId: appRef.id }, select: { name: true }, orderBy: { name: "asc" } }),
    db.app.findUniqueOrThrow({ where: { id: appRef.id }, select: { repositoryUrl: true } }),
    notify.can ? listNotifications({ app: appRef, stage: st.name }).then((r) => r.notifications) : null,
  ]);
  const source: TStageSourceSettings = {
    app,
    stage: st.name,
    branch: st.branch,
    autoDeploy: st.autoDeploy,
    packageTimeoutMinutes: st.packageTimeoutMinutes,
    repository: repositoryUrl,
  };
  const templates: TTemplateSettings = {
    app,
    stage: st.name,
    driver: st.driver,
    accountId: st.accountId,
    templateBucket: st.templateBucket,
    services: services.map((s) => s.name),
    parameters: (st.parameters ?? {}) as TTemplateSettings["parameters"],
  };
  return (
    <>
      <PageHeader
        eyebrow="Stage settings"
        title={st.name}
        subtitle={
          <>
            <Link href={`/apps/${app}`} className="hover:text-slate-700 hover:underline">
              {app}
            </Link>
            {" · "}
            <Link href={`/apps/${app}/stages/${stage}`} className="hover:text-slate-700 hover:underline">
              builds
            </Link>
          </>
        }
      />
      <div className="space-y-6">
        <SettingsCard id="target-title" title="Deploy target">
          <StageSettingsForm stage={settings} endpointWhy={endpointWhy} {...permit(access, "settings")} />
        </SettingsCard>
        <SettingsCard id="source-title" title="Source">
          <StageSourceSettings settings={source} {...permit(access, "settings")} />
        </SettingsCard>
        <SettingsCard id="templates-title" title="Templates">
          <StageTemplateSettings settings={templates} {...permit(access, "settings")} />
        </SettingsCard>
        <SettingsCard id="variables-title" title="Variables">
          <VariablesCard
            app={app}
            stage={st.name}
            variables={(await listVariables({ app: appRef, stage: st.name })).variables}
            {...permit(access, "variables")}
          />
        </SettingsCard>
        <SettingsCard id="release-title" title="Approval">
          <ApprovalSetting app={app} stage={st.name} requireApproval={st.requireApproval} {...permit(access, "settings")} />
        </SettingsCard>
        <SettingsCard id="notifications-title" title="Notifications">
          {targets ? (
            <NotificationsCard app={app} stage={st.name} targets={targets} />
          ) : (
            <p className="text-sm text-slate-600" data-testid="notifications-forbidden">
              {notify.why}
            </p>
          )}
        </SettingsCard>
        <SettingsCard id="credentials-title" title="AWS credentials" bodyClassName="space-y-2 px-5 py-4 text-sm text-slate-600">
          <p>
            Sprout stores no credentials: nothing here, nothing in its database. The{" "}
            <span className="font-mono text-xs">cloudformation</span> driver runs in the worker process and takes its credentials from the
            worker&apos;s standard AWS credential chain (environment variables,
            <span className="font-mono text-xs"> ~/.aws</span> files, SSO, an instance or task role), or from the named profile in the
            worker&apos;s <span className="font-mono text-xs">SPROUT_AWS_PROFILE</span>.
          </p>
          <p>
            So the account a stage deploys to is the one the worker&apos;s credentials belong to, in the region above. The web server reads
            the same account for the checks before a rollback and for a refresh, so it needs the same AWS environment. The permissions
            needed are listed in <span className="font-mono text-xs">docs/cloudformation.md</span>.
          </p>
        </SettingsCard>
        <SettingsCard id="refresh-title" title="Live state" bodyClassName="space-y-3 px-5 py-4">
          <p className="text-sm text-slate-600">
            If someone changed or deleted a stack outside Sprout, read the account again: Sprout then records what is really deployed, and
            the next build or rollback is planned from it.
          </p>
          <RefreshStageButton app={app} stage={st.name} {...permit(access, "refresh")} />
        </SettingsCard>
      </div>
    </>
  );
}
