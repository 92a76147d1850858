"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { PageSkeleton } from "./page-skeletons";

// Pages have no loading.tsx: a fallback shown for even a moment makes React hold the real page
// back for at least 300 ms after it (its Suspense reveal throttle), so fast navigations paid for
// their skeleton. Instead the current page stays until the next is ready, and only a navigation
// still waiting after SHOW_AFTER_MS shows a progress bar and the next page's skeleton.
const SHOW_AFTER_MS = 150;
const GIVE_UP_MS = 15_000;

/** The in-app link a click follows, if it is one the router will handle. */
function routedHref(e: MouseEvent): string | null {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return null;
  const a = (e.target as Element | null)?.closest?.("a[href]");
  if (!(a instanceof HTMLAnchorElement) || a.target || a.hasAttribute("download")) return null;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return null;
  if (url.pathname === location.pathname && url.search === location.search) return null;
  return url.pathname + url.search;
}

export function NavigationProgress() {
  const pathname = usePathname();
  const search = useSearchParams();
  const [target, setTarget] = useState<string | null>(null);
  const [shown, setShown] = useState(false);

  // arrived (or went elsewhere): nothing is pending
  const here = `${pathname}?${search}`;
  const [seen, setSeen] = useState(here);
  if (seen !== here) {
    setSeen(here);
    setTarget(null);
    setShown(false);
  }

  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      const href = routedHref(e);
      if (href) setTarget(href);
    };
    // capturing: the router's own handler (React's, on the document too) prevents the default after
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, []);

  useEffect(() => {
    if (!target) return;
    const show = setTimeout(() => setShown(true), SHOW_AFTER_MS);
    const giveUp = setTimeout(() => setTarget(null), GIVE_UP_MS);
    return () => {
      clearTimeout(show);
      clearTimeout(giveUp);
      setShown(false);
    };
  }, [target]);

  if (!target || !shown) return null;
  return (
    <>
      <div
        role="progressbar"
        aria-label="Loading the page"
        className="fixed inset-x-0 top-0 z-50 h-0.5 animate-pulse bg-blue-600"
        data-testid="navigation-progress"
      />
      <div className="absolute inset-0 z-20 bg-slate-50 px-4 py-6 sm:px-6 sm:py-8" data-testid="navigation-skeleton">
        <PageSkeleton path={target} />
      </div>
    </>
  );
}
