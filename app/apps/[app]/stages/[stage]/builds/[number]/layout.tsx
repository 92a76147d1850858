import { notFound } from "next/navigation";
import { getBuildRow } from "@/lib/server/data/lookup";
import { PG_INT_MAX } from "@/lib/core/query-params";
import { loadOr404 } from "@/lib/server/page-data";

export const dynamic = "force-dynamic";

// Checked above the build page's loading.tsx, so that an unknown build is a real 404 status.
export default async function BuildLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ app: string; stage: string; number: string }>;
}) {
  const { app, stage, number } = await params;
  // a number past PostgreSQL's integer range names no build (and would be a database error)
  if (/^\d+$/.test(number) && Number(number) > PG_INT_MAX) notFound();
  await loadOr404(getBuildRow(app, stage, number));
  return children;
}
