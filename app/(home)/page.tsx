import { listApps } from "@/lib/data/list-apps";
import { AppsPageClient } from "./page-client";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  return <AppsPageClient initialData={await listApps()} />;
}
