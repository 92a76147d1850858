"use client";
import "client-only";
import type { useRouter } from "next/navigation";

type TRouter = ReturnType<typeof useRouter>;
type TPrefetchOptions = NonNullable<Parameters<TRouter["prefetch"]>[1]>;

// A full prefetch: the page's server render with its data, not only its shell. Next names the
// kind with an enum it does not export from next/navigation; its value is the string "full".
const FULL = { kind: "full" } as unknown as TPrefetchOptions;

/** Fetches a page ahead of a likely click (a hovered or focused link), so the click shows it at once. */
export function prefetchPage(router: TRouter, href: string): void {
  router.prefetch(href, FULL);
}
