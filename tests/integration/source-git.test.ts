// The app's mirror against real git: bare origins in temporary folders, reached by file:// URL and
// by plain path, commits pushed to them as a developer would.
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSproutYml } from "@/lib/core/source/sprout-yml";
import { sproutDataDir } from "@/lib/server/source/data-dir";
import { GitError, SourceError } from "@/lib/server/source/git";
import { openMirror, type Mirror } from "@/lib/server/source/mirror";
import { AUTHOR, createOrigin, runGit, tempDir, type TOrigin } from "../support/git-repo";

const SPROUT_YML = "services:\n  billing-api:\n    path: services/billing-api\n    template: template.json\n";

let root: string;
let dataDir: string;
let origin: TOrigin;
let first: string;

beforeAll(async () => {
  root = await tempDir("source-git");
  dataDir = path.join(root, "data");
  await fs.mkdir(path.join(root, "repo"));
  origin = await createOrigin(path.join(root, "repo"));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function expectSourceError(promise: Promise<unknown>, code: string, message: string | RegExp) {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SourceError);
  expect((e as SourceError).code).toBe(code);
  if (typeof message === "string") expect((e as SourceError).message).toBe(message);
  else expect((e as SourceError).message).toMatch(message);
}

describe("a mirror fetched by file:// URL", () => {
  let mirror: Mirror;

  beforeAll(async () => {
    first = await origin.commit(
      {
        "sprout.yml": SPROUT_YML,
        "services/billing-api/template.json": "{}\n",
        "services/billing-api/handler.ts": "export {}\n",
        "README.md": "# notes\n",
      },
      "First commit\n\nWith a body.",
    );
    await origin.commit({ "services/notes-api/x.ts": "1\n" }, "Feature work", "feature");
    await origin.git(["checkout", "--quiet", "main"]);
    await origin.git(["tag", "v1.0.0", first]);
    await origin.git(["push", "--quiet", "origin", "v1.0.0"]);
    mirror = openMirror({ app: 7, url: origin.url, dataDir });
  });

  it("lives under the data directory, one per app, and is created by the first sync", async () => {
    expect(mirror.dir).toBe(path.join(dataDir, "mirrors", "app-7.git"));
    expect(await mirror.exists()).toBe(false);
    await expectSourceError(mirror.resolve("main"), "not_synced", "the repository has not been fetched yet: sync the mirror first");
    const r = await mirror.sync();
    expect(r.created).toBe(true);
    expect(await runGit(mirror.dir, ["rev-parse", "--is-bare-repository"])).toBe("true\n");
    expect(await mirror.branches()).toEqual(["feature", "main"]);
    expect((await fs.readdir(path.join(dataDir, "mirrors"))).filter((n) => n.startsWith(".tmp"))).toEqual([]);
  });

  it("resolves a branch, a tag, a full sha and a short sha to the full sha", async () => {
    expect(await mirror.resolve("main")).toBe(first);
    expect(await mirror.resolve("v1.0.0")).toBe(first);
    expect(await mirror.resolve("refs/heads/main")).toBe(first);
    expect(await mirror.resolve(first)).toBe(first);
    expect(await mirror.resolve(first.slice(0, 7))).toBe(first);
    expect(await mirror.resolve("feature")).toMatch(/^[0-9a-f]{40}$/);
  });

  it("says which branches exist when a ref is unknown, and refuses what is no ref", async () => {
    await expectSourceError(
      mirror.resolve("mian"),
      "unknown_ref",
      'unknown ref "mian": no branch, tag or commit of that name in the repository (branches: feature, main); if it was pushed just now, fetch again',
    );
    await expectSourceError(mirror.resolve("deadbeefcafe"), "unknown_ref", /^unknown ref "deadbeefcafe"/);
    for (const bad of ["-x", "--upload-pack=x", "a..b", "main:sprout.yml", "main^{tree}", "HEAD@{1}", "", "a b"])
      await expectSourceError(mirror.resolve(bad), "invalid_argument", `"${bad}" is not a branch, tag or commit sha`);
  });

  it("reads sprout.yml at a commit, and null for a path the commit does not have", async () => {
    const text = await mirror.readFile(first, "sprout.yml");
    expect(parseSproutYml(text!).services.map((s) => s.name)).toEqual(["billing-api"]);
    expect(await mirror.readFile(first, "./services/billing-api/template.json")).toBe("{}\n");
    expect(await mirror.readFile(first, "missing.yml")).toBeNull();
    expect(await mirror.readFile(first, "README.md/x")).toBeNull();
  });

  it("refuses a folder, a symbolic link, a file over the cap and a path outside the repository", async () => {
    const sha = await origin.commit({ "big.txt": "x".repeat(2000), "link.yml": { link: "/etc/passwd" } }, "Odd files");
    const at = sha.slice(0, 7);
    await mirror.sync();
    await expectSourceError(mirror.readFile(sha, "services"), "not_a_file", `services at ${at} is a folder, not a file`);
    await expectSourceError(
      mirror.readFile(sha, "link.yml"),
      "not_a_file",
      `link.yml at ${at} is a symbolic link: Sprout reads regular files only`,
    );
    await expectSourceError(
      mirror.readFile(sha, "big.txt", { maxBytes: 1000 }),
      "file_too_large",
      `big.txt at ${at} is 2000 bytes, over the limit of 1000`,
    );
    await expectSourceError(
      mirror.readFile(sha, "../etc/passwd"),
      "invalid_argument",
      '"../etc/passwd" must stay inside the repository (it goes above its root with ..)',
    );
    await expectSourceError(
      mirror.readFile("main", "sprout.yml"),
      "invalid_argument",
      'readFile takes a full commit sha, not "main": resolve the ref first',
    );
  });

  it("fetches a new push, prunes a deleted branch and keeps the mirror's own HEAD", async () => {
    const headBefore = await fs.readFile(path.join(mirror.dir, "HEAD"), "utf8");
    const second = await origin.commit({ "services/billing-api/handler.ts": "export const v = 2;\n", "README.md": null }, "Second commit");
    await origin.git(["push", "--quiet", "origin", "--delete", "feature"]);
    expect(await mirror.resolve("main")).not.toBe(second);
    const r = await mirror.sync();
    expect(r.created).toBe(false);
    expect(await mirror.resolve("main")).toBe(second);
    expect(await mirror.branches()).toEqual(["main"]);
    await expectSourceError(mirror.resolve("feature"), "unknown_ref", /^unknown ref "feature"/);
    expect(await fs.readFile(path.join(mirror.dir, "HEAD"), "utf8")).toBe(headBefore);
  });

  it("lists the paths changed between two commits, renames under both names", async () => {
    const before = await mirror.resolve("main");
    await origin.git(["mv", "services/billing-api/template.json", "services/billing-api/cfn.json"]);
    const after = await origin.commit(
      { "sprout.yml": SPROUT_YML.replace("template.json", "cfn.json"), "services/notify/a b.ts": "é\n" },
      "Rename the template",
    );
    await mirror.sync();
    expect((await mirror.changedPaths(before, after)).sort()).toEqual([
      "services/billing-api/cfn.json",
      "services/billing-api/template.json",
      "services/notify/a b.ts",
      "sprout.yml",
    ]);
    expect(await mirror.changedPaths(after, after)).toEqual([]);
    await expectSourceError(
      mirror.changedPaths("0123456789abcdef0123456789abcdef01234567", after),
      "unknown_ref",
      "commit 0123456 is not in the repository (a force-push may have removed it): compare against another commit, or rebuild every service",
    );
  });

  it("gives a commit's sha, subject, author and date", async () => {
    const info = await mirror.commitInfo(first);
    expect(info).toEqual({
      sha: first,
      message: "First commit",
      author: `${AUTHOR.name} <${AUTHOR.email}>`,
      committedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await expectSourceError(
      mirror.commitInfo("0123456789abcdef0123456789abcdef01234567"),
      "unknown_ref",
      "commit 0123456 is not in the repository",
    );
  });

  it("fetches a pull request's head ref, which later syncs keep", async () => {
    const pr = await origin.commit({ "services/billing-api/pr.ts": "1\n" }, "PR work", "topic");
    await origin.gitBare(["update-ref", "refs/pull/7/head", pr]);
    await origin.gitBare(["update-ref", "-d", "refs/heads/topic"]);
    expect(await mirror.fetchRef("refs/pull/7/head")).toBe(pr);
    await mirror.sync();
    expect(await mirror.resolve("refs/pull/7/head")).toBe(pr);
    await expectSourceError(mirror.fetchRef("refs/pull/8/head"), "unknown_ref", "the repository has no ref refs/pull/8/head");
    await expectSourceError(
      mirror.fetchRef("refs/../x"),
      "invalid_argument",
      '"refs/../x" is not a ref Sprout fetches: give a full ref such as refs/pull/7/head',
    );
  });

  it("names the default branch the origin's HEAD points to", async () => {
    expect(await mirror.defaultBranch()).toBe("main");
  });

  it("serializes concurrent syncs of one mirror and stays consistent", async () => {
    const head = await origin.commit({ "c.txt": "concurrent\n" }, "Concurrent");
    const results = await Promise.all(Array.from({ length: 6 }, () => mirror.sync()));
    expect(results.every((r) => !r.created)).toBe(true);
    expect(await mirror.resolve("main")).toBe(head);
    await runGit(mirror.dir, ["fsck", "--no-progress", "--no-dangling"]);
    await mirror.prune();
  });

  it("waits out a lock file another git process left, clearing it once it is stale", async () => {
    const head = await origin.commit({ "d.txt": "locked\n" }, "Behind a lock");
    const lock = path.join(mirror.dir, "refs", "heads", "main.lock");
    await fs.writeFile(lock, "");
    const hourAgo = new Date(Date.now() - 3600_000);
    await fs.utimes(lock, hourAgo, hourAgo);
    await mirror.sync();
    expect(await mirror.resolve("main")).toBe(head);
    await expect(fs.stat(lock)).rejects.toThrow();
  });

  it("gives up on a fresh lock with git's error and what to do", async () => {
    await origin.commit({ "e.txt": "locked again\n" }, "Behind a fresh lock");
    const lock = path.join(mirror.dir, "refs", "heads", "main.lock");
    await fs.writeFile(lock, "");
    try {
      const e = await mirror.sync().then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(GitError);
      expect((e as GitError).message).toMatch(/^git fetch failed \(exit 1\): .*main\.lock': File exists/s);
      expect((e as GitError).message).toContain(
        `(another git process holds a lock on the mirror ${mirror.dir}; if none runs, delete the .lock file)`,
      );
    } finally {
      await fs.rm(lock);
    }
    await mirror.sync();
  });
});

describe("a mirror fetched by plain path", () => {
  it("syncs, resolves and reads like a file:// one, and is removed on disconnect", async () => {
    const mirror = openMirror({ app: "by-path", url: origin.bare, dataDir });
    expect(mirror.url).toBe(origin.bare);
    await mirror.sync();
    const main = (await origin.gitBare(["rev-parse", "main"])).trim();
    expect(await mirror.resolve("main")).toBe(main);
    expect(await mirror.readFile(main, "c.txt")).toBe("concurrent\n");
    await mirror.remove();
    expect(await mirror.exists()).toBe(false);
  });
});

describe("errors", () => {
  it("refuses an unsafe URL or mirror key before running git", () => {
    expect(() => openMirror({ app: 1, url: "https://u:p@example.com/x.git", dataDir })).toThrow(
      "repository URL credentials in the URL are not stored; use the host's git credential helper or SSH keys",
    );
    expect(() => openMirror({ app: 1, url: "ext::sh -c id", dataDir })).toThrow(/^repository URL the ext:: transport is refused/);
    expect(() => openMirror({ app: "../x", url: origin.url, dataDir })).toThrow(
      'the mirror key "../x" must be letters, digits, - and _ (an app id)',
    );
  });

  it("carries git's stderr when the repository does not exist", async () => {
    const mirror = openMirror({ app: "missing", url: path.join(root, "nowhere.git"), dataDir });
    const e = await mirror.sync().then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(GitError);
    expect((e as GitError).message).toMatch(
      /^git fetch failed \(exit 128\): fatal: '.*nowhere\.git' does not appear to be a git repository/,
    );
  });

  it("puts the data directory under SPROUT_DATA_DIR, else .data", () => {
    const saved = process.env.SPROUT_DATA_DIR;
    try {
      process.env.SPROUT_DATA_DIR = "/srv/sprout";
      expect(sproutDataDir()).toBe("/srv/sprout");
      delete process.env.SPROUT_DATA_DIR;
      expect(sproutDataDir()).toBe(path.resolve(".data"));
    } finally {
      if (saved === undefined) delete process.env.SPROUT_DATA_DIR;
      else process.env.SPROUT_DATA_DIR = saved;
    }
  });
});
