import { isInstanceAdmin, visibleAppIds } from "@/lib/server/auth/authz";
import { listApps } from "@/lib/server/data/list-apps";
import { requireSignedIn } from "@/lib/server/page-access";
import { queryKeys } from "@/lib/client/query-keys";
import { Hydrate } from "@/components/hydrate";
import { AppsPageClient } from "./page-client";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const actor = await requireSignedIn();
  return (
    <Hydrate queries={[[queryKeys.appList(), await listApps(await visibleAppIds(actor))]]}>
      <AppsPageClient canCreate={isInstanceAdmin(actor)} />
    </Hydrate>
  );
}
