"use client";
import { localDateTime, relativeTime } from "@/lib/client/format";
import { useHydrated, useNow } from "@/lib/client/hooks/use-now";

/** "3 days ago", with the exact local time on hover. */
export function TimeAgo({ iso, className }: { iso: string; className?: string }) {
  const now = useNow(30_000);
  const hydrated = useHydrated();
  // The server's clock and time zone are not the browser's: once hydrated, the element is redrawn
  // (new key) with the browser's values instead of keeping the server's text.
  return (
    <time
      key={hydrated ? "browser" : "server"}
      dateTime={iso}
      title={hydrated ? localDateTime(iso) : iso}
      className={className}
      suppressHydrationWarning
    >
      {relativeTime(iso, now)}
    </time>
  );
}
