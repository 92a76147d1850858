"use client";
import { elapsed, formatDuration } from "@/lib/client/format";
import { useNow } from "@/lib/client/hooks/use-now";

/** How long something took, ticking every second while it runs. */
export function Duration({
  startedAt,
  finishedAt,
  className,
}: {
  startedAt: string | null;
  finishedAt: string | null;
  className?: string;
}) {
  const running = Boolean(startedAt && !finishedAt);
  return running ? (
    <Ticking startedAt={startedAt!} className={className} />
  ) : (
    <span className={className}>{startedAt ? formatDuration(elapsed(startedAt, finishedAt, 0)!) : "—"}</span>
  );
}

function Ticking({ startedAt, className }: { startedAt: string; className?: string }) {
  const now = useNow(1000);
  return (
    <span className={`tabular-nums ${className ?? ""}`} suppressHydrationWarning>
      {formatDuration(elapsed(startedAt, null, now)!)}
    </span>
  );
}
