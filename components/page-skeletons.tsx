import { CardsSkeleton, HeaderSkeleton, Skeleton } from "@/components/ui/skeleton";

// The shapes of each page, shown while a navigation to it takes longer than it should
// (components/navigation-progress.tsx).

export function AppsSkeleton() {
  return (
    <>
      <HeaderSkeleton />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="space-y-4 rounded-xl border border-slate-200 bg-white p-5">
            <Skeleton className="h-5 w-32" />
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-4 w-5/6" />
          </div>
        ))}
      </div>
    </>
  );
}

export function AppSkeleton() {
  return (
    <>
      <HeaderSkeleton />
      <Skeleton className="mb-3 h-4 w-20" />
      <div className="mb-10 flex gap-12">
        {[0, 1].map((i) => (
          <div key={i} className="w-72 space-y-3 rounded-xl border border-slate-200 bg-white p-4">
            <Skeleton className="h-5 w-24" />
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-4 w-56" />
          </div>
        ))}
      </div>
      <Skeleton className="mb-3 h-4 w-20" />
      <div className="h-64 rounded-xl border border-slate-200 bg-white p-5">
        <Skeleton className="h-full w-full" />
      </div>
    </>
  );
}

export function AuditSkeleton() {
  return (
    <>
      <HeaderSkeleton />
      <div className="rounded-xl border border-slate-200 bg-white">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex items-center gap-6 border-b border-slate-100 px-5 py-3 last:border-0">
            <Skeleton className="h-4 w-20" />
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-4 w-28" />
            <Skeleton className="h-4 flex-1" />
          </div>
        ))}
      </div>
    </>
  );
}

export function HistorySkeleton() {
  return (
    <>
      <HeaderSkeleton />
      <div className="rounded-xl border border-slate-200 bg-white">
        <div className="border-b border-slate-200 px-5 py-3">
          <Skeleton className="h-4 w-16" />
        </div>
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex items-center gap-6 border-b border-slate-100 px-5 py-4 last:border-0">
            <Skeleton className="h-5 w-20 rounded-full" />
            <Skeleton className="h-4 w-24" />
            <Skeleton className="h-4 flex-1" />
            <Skeleton className="h-4 w-20" />
            <Skeleton className="h-4 w-12" />
          </div>
        ))}
      </div>
    </>
  );
}

export function BuildSkeleton() {
  return (
    <div className="space-y-5" role="status" aria-label="Loading">
      <div className="space-y-4 rounded-xl border border-slate-200 bg-white p-5">
        <div className="flex items-center gap-3">
          <Skeleton className="h-7 w-24 rounded-full" />
          <Skeleton className="h-7 w-32" />
        </div>
        <Skeleton className="h-5 w-2/3" />
        <div className="grid grid-cols-3 gap-6 border-t border-slate-100 pt-4 lg:grid-cols-6">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-8" />
          ))}
        </div>
      </div>
      <div className="rounded-xl border border-slate-200 bg-white">
        <div className="border-b border-slate-200 px-5 py-3">
          <Skeleton className="h-4 w-14" />
        </div>
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="flex items-center gap-4 border-b border-slate-100 px-5 py-4 last:border-0">
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-4 flex-1" />
            <Skeleton className="h-5 w-20 rounded-full" />
          </div>
        ))}
      </div>
    </div>
  );
}

/** The skeleton of the page at `path`, by the route it names. */
export function PageSkeleton({ path }: { path: string }) {
  const p = path.split(/[?#]/)[0]!;
  if (/^\/apps\/[^/]+\/stages\/[^/]+\/builds\/[^/]+$/.test(p)) return <BuildSkeleton />;
  if (/^\/apps\/[^/]+\/stages\/[^/]+$/.test(p)) return <HistorySkeleton />;
  if (/^\/apps\/[^/]+\/audit$/.test(p)) return <AuditSkeleton />;
  if (/^\/apps\/[^/]+\/(stages\/[^/]+\/)?settings$/.test(p)) return <CardsSkeleton heights={["h-32", "h-40"]} />;
  if (/^\/apps\/[^/]+$/.test(p)) return <AppSkeleton />;
  return <AppsSkeleton />;
}
