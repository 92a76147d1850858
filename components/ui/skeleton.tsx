/** Grey placeholder blocks for loading.tsx: the same shapes as the page they stand for. */
export function Skeleton({ className = "" }: { className?: string }) {
  return <div aria-hidden className={`animate-pulse rounded-md bg-slate-200/70 ${className}`} />;
}

export function HeaderSkeleton() {
  return (
    <div className="mb-6 space-y-2" role="status" aria-label="Loading">
      <Skeleton className="h-3 w-16" />
      <Skeleton className="h-7 w-48" />
      <Skeleton className="h-4 w-72" />
    </div>
  );
}

/** A settings page while it loads: the header, then one card per section with its body's height. */
export function CardsSkeleton({ heights }: { heights: string[] }) {
  return (
    <>
      <HeaderSkeleton />
      <div className="space-y-6">
        {heights.map((h, i) => (
          <div key={i} className="rounded-xl border border-slate-200 bg-white">
            <div className="border-b border-slate-200 px-5 py-3">
              <Skeleton className="h-4 w-28" />
            </div>
            <div className="px-5 py-4">
              <Skeleton className={`${h} w-full`} />
            </div>
          </div>
        ))}
      </div>
    </>
  );
}
