// A mirror is pruned after the builds themselves: a build's end (its build_finished job) lets git
// pack the objects that many small fetches left loose (`git gc --auto`), at most once an hour per
// mirror, and no build waits for it. Real git: the mirror is filled as a long-lived one would be,
// with loose objects, by git itself.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { openMirror, PRUNED_MARKER } from "@/lib/server/source/mirror";
import { waitForBuild, withWorker } from "../support/engine";
import { waitFor } from "../support/fixtures";
import { runGit, type TOrigin } from "../support/git-repo";
import { githubPush, postGithub, sourceApp } from "../support/source";

withWorker();

/**
 * Commits, on main in the origin, `count` small files under vendor/`name`/ whose blobs git stores
 * under objects/17/. git decides a gc is due by counting that one folder (times 256, against
 * gc.auto=6700): 40 such files make the mirror look like one with 10,000 loose objects, without
 * writing 10,000 files.
 */
async function commitMany(origin: TOrigin, name: string, count: number): Promise<string> {
  const parent = (await origin.gitBare(["rev-parse", "refs/heads/main"])).trim();
  const message = `Vendor ${name}`;
  const lines = [
    "commit refs/heads/main",
    "committer Ada Lovelace <ada@example.com> 1700000000 +0000",
    `data ${Buffer.byteLength(message)}`,
    message,
    `from ${parent}`,
  ];
  for (let i = 0, found = 0; found < count; i++) {
    const text = `${name} ${i}\n`;
    const oid = createHash("sha1")
      .update(`blob ${Buffer.byteLength(text)}\0${text}`)
      .digest("hex");
    if (!oid.startsWith("17")) continue;
    lines.push(`M 100644 inline vendor/${name}/${i}.txt`, `data ${Buffer.byteLength(text)}`, text);
    found++;
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn("git", ["fast-import", "--quiet"], { cwd: origin.bare, stdio: ["pipe", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited with ${code}`))));
    child.stdin.end(lines.join("\n") + "\n");
  });
  return (await origin.gitBare(["rev-parse", "refs/heads/main"])).trim();
}

/** Fetches into the mirror as many small fetches would: every object loose, and no gc of git's own. */
async function fetchLoose(mirrorDir: string, origin: TOrigin) {
  await runGit(mirrorDir, [
    "-c",
    "fetch.unpackLimit=1000000",
    "-c",
    "gc.auto=0",
    "-c",
    "maintenance.auto=false",
    "fetch",
    "--quiet",
    "--no-tags",
    origin.url,
    "+refs/heads/*:refs/heads/*",
  ]);
}

/** Once the build's build_finished job has run (graphile-worker deletes a job that succeeded). */
async function followUpDone(buildId: number): Promise<void> {
  const key = `build-finished-${buildId}`;
  await waitFor(`build_finished of build ${buildId}`, async () => {
    const [{ n }] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${key}`;
    return n === 0;
  });
}

async function objects(mirrorDir: string): Promise<{ loose: number; packed: number }> {
  const out = await runGit(mirrorDir, ["count-objects", "-v"]);
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, "m").exec(out)![1]);
  return { loose: field("count"), packed: field("in-pack") };
}

describe("mirror pruning", () => {
  it("a build's end packs the mirror's loose objects once the last prune is an hour old, and not again within the hour", async () => {
    const app = await sourceApp("prune-mirror");
    await postGithub(app, githubPush(app.first));
    expect((await waitForBuild(app.name, "dev", 1)).status).toBe("success");
    const { id } = await db.app.findUniqueOrThrow({ where: { name: app.name } });
    const mirror = openMirror({ app: id, url: app.origin.url });
    const marker = path.join(mirror.dir, PRUNED_MARKER);

    // a mirror fed by many small fetches: its objects are loose
    const second = await commitMany(app.origin, "first", 40);
    await fetchLoose(mirror.dir, app.origin);
    expect((await objects(mirror.dir)).loose).toBeGreaterThan(40);
    const hoursAgo = new Date(Date.now() - 2 * 3600_000);
    await fs.utimes(marker, hoursAgo, hoursAgo);

    await postGithub(app, githubPush(second));
    const pruned = await waitForBuild(app.name, "dev", 2);
    expect(pruned.status, pruned.error ?? "").toBe("success");
    await followUpDone(pruned.id);
    const after = await objects(mirror.dir);
    expect(after.loose).toBe(0);
    expect(after.packed).toBeGreaterThan(40);
    expect((await fs.stat(marker)).mtimeMs).toBeGreaterThan(hoursAgo.getTime() + 3600_000);

    // within the hour, a build leaves the mirror alone
    const third = await commitMany(app.origin, "second", 40);
    await fetchLoose(mirror.dir, app.origin);
    await postGithub(app, githubPush(third));
    const next = await waitForBuild(app.name, "dev", 3);
    expect(next.status, next.error ?? "").toBe("success");
    await followUpDone(next.id);
    expect((await objects(mirror.dir)).loose).toBeGreaterThan(40);
    expect(await mirror.resolve("main")).toBe(third);
  });
});
