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
