// Workspaces checked out from an app's mirror with real git: their files, the mirror left as it
// was, workspaces kept for the app's next build, and the clean-up of what a crash leaves behind.
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SourceError } from "@/lib/server/source/git";
import { openMirror, type Mirror } from "@/lib/server/source/mirror";
import {
  checkoutWorkspace,
  keepWorkspace,
  POOL_MAX_AGE_MS,
  readWorkspaceFile,
  removeStaleWorkspaces,
  removeWorkspace,
} from "@/lib/server/source/workspace";
import { createOrigin, runGit, tempDir, type TOrigin } from "../support/git-repo";

let root: string;
let dataDir: string;
let origin: TOrigin;
let mirror: Mirror;
let v1: string;
let v2: string;

/** Every file under `dir` with its content (links as "-> target"), sorted. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (sub: string) => {
    for (const e of await fs.readdir(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(rel);
      else if (e.isSymbolicLink()) out[rel] = `-> ${await fs.readlink(path.join(dir, rel))}`;
      else out[rel] = await fs.readFile(path.join(dir, rel), "utf8");
    }
  };
  await walk("");
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

beforeAll(async () => {
  root = await tempDir("source-workspace");
  dataDir = path.join(root, "data");
  await fs.mkdir(path.join(root, "repo"));
  origin = await createOrigin(path.join(root, "repo"));
  v1 = await origin.commit(
    {
      "sprout.yml": "services:\n  api: { path: services/api, build: ./build.sh, template: out/t.json }\n",
      "services/api/build.sh": { text: "#!/bin/sh\necho built\n", mode: 0o755 },
      "services/api/src/ünïcode file.ts": "export const a = 1;\n",
      "services/api/old.txt": "only in v1\n",
      "services/api/shared": { link: "../../shared" },
      "shared/lib.ts": "export {};\n",
    },
    "v1",
  );
  v2 = await origin.commit({ "services/api/old.txt": null, "services/api/new.txt": "only in v2\n" }, "v2");
  mirror = openMirror({ app: 1, url: origin.url, dataDir });
  await mirror.sync();
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("checkoutWorkspace", () => {
  it("gives the commit's files, modes and links, without .git, under the data directory", async () => {
    const ws = await checkoutWorkspace({ mirror, commit: v1, id: "build-1-api" });
    expect(ws.dir).toBe(path.join(dataDir, "workspaces", "build-1-api"));
    expect(ws.commit).toBe(v1);
    expect(await snapshot(ws.dir)).toEqual({
      "services/api/build.sh": "#!/bin/sh\necho built\n",
      "services/api/old.txt": "only in v1\n",
      "services/api/shared": "-> ../../shared",
      "services/api/src/ünïcode file.ts": "export const a = 1;\n",
      "shared/lib.ts": "export {};\n",
      "sprout.yml": "services:\n  api: { path: services/api, build: ./build.sh, template: out/t.json }\n",
    });
    expect((await fs.stat(path.join(ws.dir, "services/api/build.sh"))).mode & 0o111).not.toBe(0);
    // and its index, beside it: what the next build compares with when the workspace is kept
    expect((await fs.readdir(path.join(dataDir, "workspaces"))).sort()).toEqual([".build-1-api.index", "build-1-api"]);
  }, 60_000);

  it("leaves the mirror's HEAD, refs and files as they were (no index, no work tree)", async () => {
    const before = {
      files: (await fs.readdir(mirror.dir)).sort(),
      head: await fs.readFile(path.join(mirror.dir, "HEAD"), "utf8"),
      refs: await runGit(mirror.dir, ["for-each-ref"]),
    };
    await Promise.all([
      checkoutWorkspace({ mirror, commit: v1, id: "a" }),
      checkoutWorkspace({ mirror, commit: v2, id: "b" }),
      mirror.sync(),
    ]);
    expect((await fs.readdir(mirror.dir)).sort()).toEqual(before.files);
    expect(await fs.readFile(path.join(mirror.dir, "HEAD"), "utf8")).toBe(before.head);
    expect(await runGit(mirror.dir, ["for-each-ref"])).toBe(before.refs);
    expect(await fs.readdir(path.join(mirror.dir))).not.toContain("index");
    expect(Object.keys(await snapshot(path.join(dataDir, "workspaces", "b")))).toContain("services/api/new.txt");
  });

  it("starts fresh: files a previous run left in the same workspace are gone", async () => {
    const ws = await checkoutWorkspace({ mirror, commit: v1, id: "retry" });
    await fs.writeFile(path.join(ws.dir, "services/api/node_modules.txt"), "left by a build");
    await fs.mkdir(path.join(ws.dir, "cache/deep"), { recursive: true });
    const again = await checkoutWorkspace({ mirror, commit: v2, id: "retry" });
    const files = Object.keys(await snapshot(again.dir));
    expect(files).toContain("services/api/new.txt");
    expect(files).not.toContain("services/api/old.txt");
    expect(files).not.toContain("services/api/node_modules.txt");
    await expect(fs.stat(path.join(again.dir, "cache"))).rejects.toThrow();
  });

  it("refuses an id that is not a folder name and a ref that is not a full sha", async () => {
    for (const id of ["../escape", "a/b", ".hidden", "x.index", ""])
      await expect(checkoutWorkspace({ mirror, commit: v1, id })).rejects.toThrow(
        `the workspace id "${id}" must be letters, digits, ".", "-" and "_" (e.g. build-42-billing-api)`,
      );
    await expect(checkoutWorkspace({ mirror, commit: "main", id: "x" })).rejects.toThrow(
      'checkoutWorkspace takes a full commit sha, not "main"',
    );
    const unknown = "0123456789abcdef0123456789abcdef01234567";
    await expect(checkoutWorkspace({ mirror, commit: unknown, id: "x" })).rejects.toThrow(
      /^git read-tree failed \(exit 128\): fatal: .*0123456789abcdef/,
    );
    await expect(fs.stat(path.join(dataDir, "workspaces", "x"))).rejects.toThrow();
  });
});

describe("keeping a workspace for the app's next build", () => {
  const kept = async () => (await fs.readdir(path.join(dataDir, "workspaces", ".reuse")).catch(() => [])).sort();

  it("the next checkout of the same app gets exactly its commit's files: what the last build made, changed or deleted is undone", async () => {
    const first = await checkoutWorkspace({ mirror, commit: v1, id: "keep-1", dataDir, reuseKey: "7" });
    expect(first.reused).toBe(false);
    // what a build does to its workspace: outputs (ignored or not), a tracked file changed, one deleted
    await fs.mkdir(path.join(first.dir, "services/api/node_modules/left"), { recursive: true });
    await fs.writeFile(path.join(first.dir, "services/api/node_modules/left/index.js"), "left by the build");
    await fs.writeFile(path.join(first.dir, "services/api/build.sh"), "#!/bin/sh\necho tampered\n");
    await fs.rm(path.join(first.dir, "shared/lib.ts"));
    await keepWorkspace({ id: "keep-1", key: "7", dataDir });
    expect(await kept()).toEqual(["7--keep-1", "7--keep-1.index"]);

    const next = await checkoutWorkspace({ mirror, commit: v2, id: "keep-2", dataDir, reuseKey: "7" });
    expect(next.reused).toBe(true);
    expect(await kept()).toEqual([]);
    const fresh = await checkoutWorkspace({ mirror, commit: v2, id: "fresh-v2", dataDir });
    expect(await snapshot(next.dir)).toEqual(await snapshot(fresh.dir));
    expect((await fs.stat(path.join(next.dir, "services/api/build.sh"))).mode & 0o111).not.toBe(0);
  });

  it("is never handed to another app, and at most two are kept per app", async () => {
    // three builds of app 8 at once, ending one after the other
    for (const id of ["k-a", "k-b", "k-c"]) await checkoutWorkspace({ mirror, commit: v1, id, dataDir, reuseKey: "8" });
    for (const id of ["k-a", "k-b", "k-c"]) await keepWorkspace({ id, key: "8", dataDir });
    expect(await kept()).toEqual(["8--k-a", "8--k-a.index", "8--k-b", "8--k-b.index"]);
    await expect(fs.stat(path.join(dataDir, "workspaces", "k-c"))).rejects.toThrow();
    const other = await checkoutWorkspace({ mirror, commit: v1, id: "other-app", dataDir, reuseKey: "9" });
    expect(other.reused).toBe(false);
    expect(await kept()).toHaveLength(4);
    await expect(checkoutWorkspace({ mirror, commit: v1, id: "bad-key", dataDir, reuseKey: "../8" })).rejects.toThrow(
      'the reuse key "../8" must be 1 to 40 letters or digits',
    );
  });

  it("a worker's start removes kept workspaces unused for a week, and a folder kept without its index", async () => {
    const pool = path.join(dataDir, "workspaces", ".reuse");
    await fs.mkdir(path.join(pool, "8--orphan"));
    await removeStaleWorkspaces({ activeIds: [], dataDir });
    expect(await kept()).toEqual(["8--k-a", "8--k-a.index", "8--k-b", "8--k-b.index"]);
    await removeStaleWorkspaces({ activeIds: [], dataDir, now: Date.now() + POOL_MAX_AGE_MS + 60_000 });
    expect(await kept()).toEqual([]);
  });
});

describe("removing workspaces", () => {
  it("removes one workspace, and nothing when it is already gone", async () => {
    const ws = await checkoutWorkspace({ mirror, commit: v1, id: "to-remove-too" });
    await removeWorkspace({ id: "to-remove-too", dataDir });
    await expect(fs.stat(ws.dir)).rejects.toThrow();
    await removeWorkspace({ id: "to-remove-too", dataDir });
  });

  // root may delete from read-only folders anyway: this case only means something for another user
  it.skipIf(process.getuid?.() === 0)("removes one workspace, even with read-only folders a build made", async () => {
    const ws = await checkoutWorkspace({ mirror, commit: v1, id: "to-remove" });
    await fs.mkdir(path.join(ws.dir, "go/pkg/mod"), { recursive: true });
    await fs.writeFile(path.join(ws.dir, "go/pkg/mod/x.go"), "package x");
    await fs.chmod(path.join(ws.dir, "go/pkg/mod"), 0o555);
    await fs.chmod(path.join(ws.dir, "go/pkg"), 0o555);
    await removeWorkspace({ id: "to-remove", dataDir });
    await expect(fs.stat(ws.dir)).rejects.toThrow();
    await removeWorkspace({ id: "to-remove", dataDir });
  });

  it("removes the workspaces and index files a crash left, keeping the active ones", async () => {
    const dir = path.join(dataDir, "workspaces");
    await checkoutWorkspace({ mirror, commit: v1, id: "active-1" });
    await checkoutWorkspace({ mirror, commit: v1, id: "crashed-2" });
    await fs.writeFile(path.join(dir, ".crashed-3.index"), "");
    await fs.writeFile(path.join(dir, ".active-1.index"), "");
    await fs.writeFile(path.join(dir, "README"), "not a workspace of ours? it is a folder name too");
    const removed = await removeStaleWorkspaces({ activeIds: ["active-1"], dataDir });
    expect(removed).toContain("crashed-2");
    expect(removed).toContain("crashed-3");
    expect(removed).not.toContain("active-1");
    expect((await fs.readdir(dir)).sort()).toEqual([".active-1.index", ".reuse", "README", "active-1"]);
    expect(await removeStaleWorkspaces({ activeIds: ["active-1"], dataDir: path.join(root, "no-data-yet") })).toEqual([]);
  });
});

describe("readWorkspaceFile", () => {
  it("reads a file the build made, null when absent, and refuses links out of the workspace", async () => {
    const ws = await checkoutWorkspace({ mirror, commit: v1, id: "read" });
    await fs.mkdir(path.join(ws.dir, "services/api/out"), { recursive: true });
    await fs.writeFile(path.join(ws.dir, "services/api/out/t.json"), '{"Resources":{}}');
    await fs.symlink("/proc/self/environ", path.join(ws.dir, "services/api/out/env.json"));
    await fs.symlink("t.json", path.join(ws.dir, "services/api/out/alias.json"));
    const read = (p: string, maxBytes = 1000) => readWorkspaceFile({ dir: ws.dir, path: p, maxBytes });
    expect(await read("services/api/out/t.json")).toBe('{"Resources":{}}');
    expect(await read("services/api/out/alias.json")).toBe('{"Resources":{}}');
    expect(await read("services/api/shared/lib.ts")).toBe("export {};\n");
    expect(await read("services/api/out/missing.json")).toBeNull();
    await expect(read("services/api/out/env.json")).rejects.toThrow(
      "services/api/out/env.json leads outside the workspace through a symbolic link: Sprout reads only files inside the build's folder",
    );
    await expect(read("../../etc/passwd")).rejects.toThrow(
      '"../../etc/passwd" must stay inside the repository (it goes above its root with ..)',
    );
    await expect(read("services/api/out")).rejects.toThrow("services/api/out is not a regular file");
    await expect(read("services/api/out/t.json", 5)).rejects.toThrow("services/api/out/t.json is 16 bytes, over the limit of 5");
    await expect(read("services/api/out/env.json")).rejects.toBeInstanceOf(SourceError);
  });
});
