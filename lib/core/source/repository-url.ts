// Repository URLs an app may be connected to. Git gets the normalized form as one argument after
// "--", but the URL still picks a transport and a host: refuse the transports that run commands
// (ext::, fd::), anything git could read as an option, and credentials (the host's own are used).
// Pure.
import { z } from "zod";

export type TRepositoryKind = "https" | "http" | "ssh" | "local";

export type TRepositoryUrlResult = { ok: true; kind: TRepositoryKind; url: string; host: string | null } | { ok: false; reason: string };

export interface TRepositoryUrlOptions {
  /** Local paths and file:// URLs (the demo and the tests use them). Default true. */
  allowLocal?: boolean;
}

export const REPOSITORY_URL_MAX_LENGTH = 2048;
const CREDENTIALS = "credentials in the URL are not stored; use the host's git credential helper or SSH keys";
const SUPPORTED = "use https://, ssh://, git@host:org/repo.git, file:// or an absolute path";
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const CONTROL = /[\u0000-\u001f\u007f]/;

const fail = (reason: string): TRepositoryUrlResult => ({ ok: false, reason });

/**
 * Validates a repository URL and gives its normalized form:
 * - `https://host/org/repo(.git)`: lowercased host, no default port, no trailing slash;
 * - `http://` only to this machine (localhost, 127.x, [::1]): code and credentials would otherwise travel in clear;
 * - `ssh://[user@]host[:port]/path` and scp-like `[user@]host:path`, kept in the form given;
 * - `file:///abs/path` and `/abs/path`, both normalized to the absolute path.
 */
export function parseRepositoryUrl(input: string, options: TRepositoryUrlOptions = {}): TRepositoryUrlResult {
  const raw = input.trim();
  if (raw === "") return fail(`is required: ${SUPPORTED}`);
  if (raw.length > REPOSITORY_URL_MAX_LENGTH) return fail(`must be at most ${REPOSITORY_URL_MAX_LENGTH} characters`);
  if (CONTROL.test(raw)) return fail("must not contain control characters");
  if (raw.startsWith("-")) return fail("must not start with a dash: git would read it as an option");
  const helper = /^([A-Za-z][A-Za-z0-9+.-]*)::/.exec(raw);
  if (helper) return fail(`the ${helper[1]}:: transport is refused, as it runs commands or remote helpers: ${SUPPORTED}`);

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw)?.[1]?.toLowerCase();
  if (scheme === "https" || scheme === "http") return parseHttp(raw, scheme);
  if (scheme === "ssh" || scheme === "git+ssh" || scheme === "ssh+git") return parseSsh(raw);
  if (scheme === "file") return options.allowLocal === false ? fail("local repositories are turned off on this server") : parseFileUrl(raw);
  if (scheme === "git") return fail("git:// is neither authenticated nor encrypted: use https:// or ssh://");
  if (scheme) return fail(`${scheme}:// is not supported: ${SUPPORTED}`);
  if (raw.startsWith("/")) return options.allowLocal === false ? fail("local repositories are turned off on this server") : localPath(raw);
  const scp = parseScpLike(raw);
  if (scp) return scp;
  return fail(`is neither a URL nor an absolute path: ${SUPPORTED} (a local repository needs its absolute path, e.g. /srv/git/notes.git)`);
}

/** zod schema for API bodies: the input becomes the normalized URL, or fails with the reason. */
export const ZRepositoryUrl = z.string({ error: `must be a repository URL: ${SUPPORTED}` }).transform((value, ctx) => {
  const r = parseRepositoryUrl(value);
  if (r.ok) return r.url;
  ctx.addIssue({ code: "custom", message: r.reason });
  return z.NEVER;
});

function parseHttp(raw: string, scheme: "https" | "http"): TRepositoryUrlResult {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`is not a valid ${scheme}:// URL`);
  }
  if (url.username || url.password) return fail(CREDENTIALS);
  if (scheme === "http" && !LOOPBACK.test(url.hostname))
    return fail(
      "http:// sends code unencrypted: use https:// (plain http is accepted only for a server on this machine: localhost, 127.0.0.1 or [::1])",
    );
  if (url.hostname.startsWith("-")) return fail("the host must not start with a dash");
  if (url.search || url.hash) return fail("must not carry a query (?) or a fragment (#)");
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "") return fail(`must name a repository, e.g. ${scheme}://github.com/acme/notes.git`);
  return { ok: true, kind: scheme, url: `${scheme}://${url.host}${path}`, host: url.hostname };
}

function parseSsh(raw: string): TRepositoryUrlResult {
  // ssh://[user@]host[:port]/path, parsed by hand: WHATWG URL leaves non-special hosts as written.
  const m = /^[^:]+:\/\/(?:([^@/]*)@)?(\[[^\]/]+\]|[^/:@]+)(?::(\d{1,5}))?(\/.*)?$/.exec(raw);
  if (!m) return fail("is not a valid ssh:// URL: use ssh://[user@]host[:port]/path");
  const [, user, host, port, path] = m;
  if (user !== undefined && (user.includes(":") || user === "")) return fail(CREDENTIALS);
  if (user && !/^[A-Za-z0-9._-]+$/.test(user)) return fail("the ssh user may hold only letters, digits, dots, dashes and underscores");
  if (user?.startsWith("-") || host!.startsWith("-")) return fail("the user and host must not start with a dash");
  if (/\s/.test(host!)) return fail("the host must not contain spaces");
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return fail("the port must be between 1 and 65535");
  if (!path || path === "/") return fail("must name a repository, e.g. ssh://git@github.com/acme/notes.git");
  const lowerHost = host!.toLowerCase();
  return { ok: true, kind: "ssh", url: `ssh://${user ? `${user}@` : ""}${lowerHost}${port ? `:${port}` : ""}${path}`, host: lowerHost };
}

function parseScpLike(raw: string): TRepositoryUrlResult | null {
  // git's own rule: a colon before the first slash makes it scp-like ([user@]host:path).
  const colon = raw.indexOf(":");
  const slash = raw.indexOf("/");
  if (colon <= 0 || (slash !== -1 && slash < colon)) return null;
  const m = /^(?:([^@]*)@)?(\[[^\]]+\]|[^@:[\]]+):(.*)$/.exec(raw);
  if (!m) return fail("is not a valid scp-like address: use user@host:org/repo.git");
  const [, user, host, path] = m;
  if (user !== undefined && (user.includes(":") || user === "")) return fail(CREDENTIALS);
  if (user && !/^[A-Za-z0-9._-]+$/.test(user)) return fail("the ssh user may hold only letters, digits, dots, dashes and underscores");
  if (user?.startsWith("-") || host!.startsWith("-") || path!.startsWith("-"))
    return fail("the user, host and path must not start with a dash");
  if (/\s/.test(host!)) return fail("the host must not contain spaces");
  if (path === "" || path === "/") return fail("must name a repository, e.g. git@github.com:acme/notes.git");
  const lowerHost = host!.toLowerCase();
  return { ok: true, kind: "ssh", url: `${user ? `${user}@` : ""}${lowerHost}:${path}`, host: lowerHost };
}

function parseFileUrl(raw: string): TRepositoryUrlResult {
  const m = /^file:\/\/([^/]*)(\/.*)?$/i.exec(raw)!;
  if (m[1] !== "" && m[1]!.toLowerCase() !== "localhost")
    return fail("a file:// URL must name a path on this machine: use file:///absolute/path");
  let path: string;
  try {
    path = decodeURIComponent(m[2] ?? "");
  } catch {
    return fail("is not a valid file:// URL: its percent-encoding is broken");
  }
  if (CONTROL.test(path)) return fail("must not contain control characters");
  return localPath(path);
}

function localPath(path: string): TRepositoryUrlResult {
  const segments: string[] = [];
  for (const s of path.split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") segments.pop();
    else segments.push(s);
  }
  if (segments.length === 0) return fail("must name a repository, not the root folder");
  return { ok: true, kind: "local", url: `/${segments.join("/")}`, host: null };
}
