import { HeaderSkeleton, Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
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
