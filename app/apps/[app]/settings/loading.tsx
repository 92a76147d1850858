import { HeaderSkeleton, Skeleton } from "@/components/skeleton";

export default function Loading() {
  return (
    <>
      <HeaderSkeleton />
      <div className="space-y-6">
        {["h-32", "h-40"].map((h) => (
          <div key={h} className="rounded-xl border border-slate-200 bg-white">
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
