import { describe, expect, it } from "vitest";
import { ZRepositoryUrl, parseRepositoryUrl } from "./repository-url";

const CREDENTIALS = "credentials in the URL are not stored; use the host's git credential helper or SSH keys";
const SUPPORTED = "use https://, ssh://, git@host:org/repo.git, file:// or an absolute path";

describe("parseRepositoryUrl accepts", () => {
  it.each([
    ["https://github.com/acme/notes.git", "https", "https://github.com/acme/notes.git", "github.com"],
    ["  HTTPS://GitHub.com:443/acme/notes/  ", "https", "https://github.com/acme/notes", "github.com"],
    ["https://git.example.com:8443/group/sub/repo", "https", "https://git.example.com:8443/group/sub/repo", "git.example.com"],
    ["http://127.0.0.1:9418/acme/notes.git", "http", "http://127.0.0.1:9418/acme/notes.git", "127.0.0.1"],
    ["http://localhost/notes", "http", "http://localhost/notes", "localhost"],
    ["http://[::1]:8080/notes", "http", "http://[::1]:8080/notes", "[::1]"],
    ["ssh://git@github.com/acme/notes.git", "ssh", "ssh://git@github.com/acme/notes.git", "github.com"],
    ["ssh://Git.Example.com:2222/srv/notes", "ssh", "ssh://git.example.com:2222/srv/notes", "git.example.com"],
    ["git+ssh://git@host/x.git", "ssh", "ssh://git@host/x.git", "host"],
    ["git@github.com:acme/notes.git", "ssh", "git@github.com:acme/notes.git", "github.com"],
    ["deploy@GitLab.example.com:group/notes", "ssh", "deploy@gitlab.example.com:group/notes", "gitlab.example.com"],
    ["build-host:repos/notes.git", "ssh", "build-host:repos/notes.git", "build-host"],
    ["git@[::1]:acme/notes.git", "ssh", "git@[::1]:acme/notes.git", "[::1]"],
    ["/srv/git/notes.git", "local", "/srv/git/notes.git", null],
    ["/srv//git/./notes.git/", "local", "/srv/git/notes.git", null],
    ["/srv/git/my repo:v2", "local", "/srv/git/my repo:v2", null],
    ["file:///srv/git/notes.git", "local", "/srv/git/notes.git", null],
    ["file://localhost/srv/git/my%20repo", "local", "/srv/git/my repo", null],
  ])("%s", (input, kind, url, host) => {
    expect(parseRepositoryUrl(input)).toEqual({ ok: true, kind, url, host });
  });
});

describe("parseRepositoryUrl refuses", () => {
  it.each([
    ["", `is required: ${SUPPORTED}`],
    ["   ", `is required: ${SUPPORTED}`],
    [`https://github.com/${"a".repeat(2048)}`, "must be at most 2048 characters"],
    ["https://github.com/acme/notes\n.git", "must not contain control characters"],
    ["https://github.com/acme/notes\u0000", "must not contain control characters"],
    ["--upload-pack=touch /tmp/x", "must not start with a dash: git would read it as an option"],
    ["-oProxyCommand=x:y", "must not start with a dash: git would read it as an option"],
    ["ext::sh -c touch% /tmp/pwned", `the ext:: transport is refused, as it runs commands or remote helpers: ${SUPPORTED}`],
    ["fd::17", `the fd:: transport is refused, as it runs commands or remote helpers: ${SUPPORTED}`],
    ["https://user:hunter2@github.com/acme/notes.git", CREDENTIALS],
    ["https://ghp_abcdef0123456789@github.com/acme/notes.git", CREDENTIALS],
    ["ssh://git:hunter2@github.com/acme/notes.git", CREDENTIALS],
    ["git:hunter2@github.com:acme/notes.git", CREDENTIALS],
    [
      "http://github.com/acme/notes.git",
      "http:// sends code unencrypted: use https:// (plain http is accepted only for a server on this machine: localhost, 127.0.0.1 or [::1])",
    ],
    [
      "http://127.0.0.1.nip.io/notes",
      "http:// sends code unencrypted: use https:// (plain http is accepted only for a server on this machine: localhost, 127.0.0.1 or [::1])",
    ],
    ["https://", "is not a valid https:// URL"],
    ["https://github.com", "must name a repository, e.g. https://github.com/acme/notes.git"],
    ["https://github.com/", "must name a repository, e.g. https://github.com/acme/notes.git"],
    ["https://github.com/acme/notes?ref=main", "must not carry a query (?) or a fragment (#)"],
    ["https://github.com/acme/notes#main", "must not carry a query (?) or a fragment (#)"],
    ["ssh://git@github.com", "must name a repository, e.g. ssh://git@github.com/acme/notes.git"],
    ["ssh://git@-oProxyCommand=x/repo", "the user and host must not start with a dash"],
    ["ssh://-x@host/repo", "the user and host must not start with a dash"],
    ["ssh://git@host:99999/repo", "the port must be between 1 and 65535"],
    ["ssh://git@host:abc/repo", "is not a valid ssh:// URL: use ssh://[user@]host[:port]/path"],
    ["ssh://us$er@host/repo", "the ssh user may hold only letters, digits, dots, dashes and underscores"],
    ["git@host:-repo", "the user, host and path must not start with a dash"],
    ["git@github.com:", "must name a repository, e.g. git@github.com:acme/notes.git"],
    ["bad host:repo", "the host must not contain spaces"],
    ["git://github.com/acme/notes.git", "git:// is neither authenticated nor encrypted: use https:// or ssh://"],
    ["ftp://example.com/notes.git", `ftp:// is not supported: ${SUPPORTED}`],
    ["notes", `is neither a URL nor an absolute path: ${SUPPORTED} (a local repository needs its absolute path, e.g. /srv/git/notes.git)`],
    [
      "./repos/notes",
      `is neither a URL nor an absolute path: ${SUPPORTED} (a local repository needs its absolute path, e.g. /srv/git/notes.git)`,
    ],
    ["/", "must name a repository, not the root folder"],
    ["file:///", "must name a repository, not the root folder"],
    ["file://server/share/notes", "a file:// URL must name a path on this machine: use file:///absolute/path"],
    ["file://notes", "a file:// URL must name a path on this machine: use file:///absolute/path"],
    ["file:///srv/%E0%A4%A", "is not a valid file:// URL: its percent-encoding is broken"],
    ["file:///srv/a%0Ab", "must not contain control characters"],
  ])("%j", (input, reason) => {
    expect(parseRepositoryUrl(input)).toEqual({ ok: false, reason });
  });

  it.each(["/srv/git/notes.git", "file:///srv/git/notes.git"])("%s when local repositories are turned off", (input) => {
    expect(parseRepositoryUrl(input, { allowLocal: false })).toEqual({
      ok: false,
      reason: "local repositories are turned off on this server",
    });
  });
});

describe("ZRepositoryUrl", () => {
  it("gives the normalized URL, or the reason under the field's path", () => {
    const Z = ZRepositoryUrl;
    expect(Z.parse("HTTPS://GitHub.com/acme/notes/")).toBe("https://github.com/acme/notes");
    const r = Z.safeParse("https://u:p@github.com/x");
    expect(r.success ? null : r.error.issues.map((i) => i.message)).toEqual([CREDENTIALS]);
    const n = Z.safeParse(42);
    expect(n.success ? null : n.error.issues.map((i) => i.message)).toEqual([`must be a repository URL: ${SUPPORTED}`]);
  });
});
