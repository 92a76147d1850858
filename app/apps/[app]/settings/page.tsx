import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { db } from "@/lib/server/db";
import { listMembers } from "@/lib/server/operations/members";
import { listTokens } from "@/lib/server/operations/tokens";
import { getRepository } from "@/lib/server/operations/repository";
import { isLocalOrigin, publicOrigin } from "@/lib/server/public-origin";
import { pageAccess } from "@/lib/server/page-access";
import { permit } from "@/lib/core/roles";
import { PageHeader } from "@/components/page-header";
import { MembersCard } from "@/components/settings/members-card";
import { RepositoryCard } from "@/components/settings/repository-card";
import { TokensCard } from "@/components/settings/tokens-card";
import { PrStagesCard } from "@/components/settings/pr-stages-card";
import { prStagesJson } from "@/lib/core/stages";

export const dynamic = "force-dynamic";

type TProps = PageProps<"/apps/[app]/settings">;

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  return { title: `Settings · ${(await params).app}` };
}

// Every member sees who has which role and the app's repository; only the app's admins change them,
// and only they see its tokens and webhooks.
export default async function AppSettingsPage({ params }: TProps) {
  const { app: name } = await params;
  const { actor, app: appRef, access } = await pageAccess(name);
  const app = appRef.name;
  const manage = permit(access, "members");
  const origin = publicOrigin(await headers());
  const [{ repository }, { members }, tokens, instanceAdmins, settings] = await Promise.all([
    getRepository({ app: appRef }),
    listMembers({ app: appRef }),
    manage.can ? listTokens({ app: appRef }).then((t) => t.tokens) : null,
    db.user.findMany({ where: { isAdmin: true }, select: { email: true }, orderBy: { email: "asc" } }),
    db.app.findUniqueOrThrow({
      where: { id: appRef.id },
      select: {
        prStagesEnabled: true,
        prTemplateStage: true,
        prStageLimit: true,
        stages: { where: { archived: false, prNumber: null }, select: { name: true }, orderBy: { position: "asc" } },
      },
    }),
  ]);
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title={app}
        subtitle={
          <>
            <Link href={`/apps/${app}`} className="hover:text-slate-700 hover:underline">
              {app}
            </Link>
            {" · "}
            <Link href={`/apps/${app}/audit`} className="hover:text-slate-700 hover:underline">
              audit
            </Link>
          </>
        }
      />
      <div className="space-y-6">
        <RepositoryCard
          app={app}
          repository={repository}
          origin={origin}
          localOrigin={isLocalOrigin(origin)}
          {...permit(access, "repository")}
        />
        <PrStagesCard
          app={app}
          settings={prStagesJson(settings)}
          stages={settings.stages.map((s) => s.name)}
          {...permit(access, "appSettings")}
        />
        <MembersCard
          app={app}
          members={members}
          instanceAdmins={instanceAdmins.map((u) => u.email)}
          you={actor.kind === "user" ? actor.id : null}
          {...manage}
        />
        {tokens ? (
          <TokensCard app={app} tokens={tokens} />
        ) : (
          <p
            className="rounded-xl border border-dashed border-slate-300 bg-white p-5 text-sm text-slate-600"
            data-testid="tokens-forbidden"
          >
            {permit(access, "tokens").why}
          </p>
        )}
      </div>
    </>
  );
}
