// Where to go after signing in (`?next=`): only a path of this site. Browsers drop tabs and newlines
// from URLs and read `\` as `/`, so `/\t/evil.example` is `//evil.example`, another site: the value
// is parsed as a URL the way a browser would, and kept only when it stays on our origin.

const BASE = "http://sprout.invalid";

/** `next` as a path of this site (normalized: no control characters, percent-encoded), else "/". */
export function safeNext(next: string | null | undefined): string {
  if (!next) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE || !url.pathname.startsWith("/") || url.pathname.startsWith("//")) return "/";
  return url.pathname + url.search + url.hash;
}
