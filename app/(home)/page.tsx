import { visibleAppIds } from "@/lib/authz";
import { listApps } from "@/lib/data/list-apps";
import { requireSignedIn } from "@/lib/page-access";
import { AppsPageClient } from "./page-client";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const actor = await requireSignedIn();
  return <AppsPageClient initialData={await listApps(await visibleAppIds(actor))} />;
}
