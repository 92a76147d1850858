// Build commands of source builds, against real git and real processes: a newer push supersedes
// the one still waiting, a failing command fails its build with its exit code and last lines and
// deploys nothing, the stage's package time limit stops a command, and a cancel kills the
// command's whole process group (what it started in the background too).
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { cancelBuild } from "@/lib/server/operations/cancel-build";
import { appRef, TEST_ACTOR } from "../support/context";
import { waitFor } from "../support/fixtures";
import { stackNames, waitForBuild, withWorker } from "../support/engine";
import { tempDir } from "../support/git-repo";
import { githubPush, INITIAL, postGithub, sourceApp } from "../support/source";

withWorker();

/** INITIAL with producer's build command replaced by `script` (a POSIX shell script). */
const withBuild = (script: string) => ({
  ...INITIAL,
  "services/producer/build.sh": {
    text: `#!/bin/sh\n${script}\nmkdir -p .sprout\ncp template.src.json .sprout/template.json\n`,
    mode: 0o755,
  },
});

async function stepOf(app: string, number: number, key: string) {
  return db.step.findFirst({ where: { key, build: { number, stage: { name: "dev", app: { name: app } } } } });
}

const waitRunning = (app: string, number: number, key: string) =>
  waitFor(`${key} of #${number} to run`, async () => ((await stepOf(app, number, key))?.status === "running" ? true : null), 20_000);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("build commands", () => {
  it("a newer push supersedes the one still waiting; the running build finishes and the newest one deploys", async () => {
    const gate = path.join(await tempDir("gate"), "open");
    const app = await sourceApp("cmd-supersede", withBuild(`while [ ! -f ${gate} ]; do sleep 0.05; done`));
    expect((await postGithub(app, githubPush(app.first))).status).toBe(202);
    await waitRunning(app.name, 1, "package:producer");

    const second = await app.origin.commit({ "README.md": "second" }, "second");
    const third = await app.origin.commit({ "README.md": "third" }, "third");
    expect((await postGithub(app, githubPush(second))).body).toEqual({ builds: [{ stage: "dev", number: 2, status: "queued" }] });
    expect((await postGithub(app, githubPush(third))).body).toEqual({ builds: [{ stage: "dev", number: 3, status: "queued" }] });

    const skipped = await waitForBuild(app.name, "dev", 2);
    expect([skipped.status, skipped.supersededBy, skipped.skippedReason]).toEqual(["skipped", 3, "superseded by #3"]);
    expect(skipped.steps.map((s) => [s.key, s.status])).toEqual([["checkout", "skipped"]]);

    await fs.writeFile(gate, "");
    expect((await waitForBuild(app.name, "dev", 1)).status).toBe("success");
    const newest = await waitForBuild(app.name, "dev", 3);
    expect([newest.status, newest.commitSha]).toEqual(["success", third]);
  });

  it("a failing build command fails the build with its exit code and last lines, and deploys nothing", async () => {
    const app = await sourceApp("cmd-fails", withBuild(`echo "compiling handlers"\necho "src/index.ts(3,1): error TS2304" >&2\nexit 3`));
    await postGithub(app, githubPush(app.first));
    const done = await waitForBuild(app.name, "dev", 1);
    expect(done.status).toBe("failed");
    const step = done.steps.find((s) => s.key === "package:producer")!;
    expect(step.status).toBe("failed");
    expect(step.error).toBe("`./build.sh` exited with code 3:\ncompiling handlers\nsrc/index.ts(3,1): error TS2304");
    expect(done.error).toContain("exited with code 3");
    // what the build page lists: consumer (which depends on producer) was packaged, but neither
    // service got a deploy step: nothing of the build is deployed, no stack made, nothing live
    expect(done.steps.map((s) => [s.key, s.action, s.status])).toEqual([
      ["checkout", "checkout", "success"],
      ["package:producer", "package", "failed"],
      ["package:consumer", "package", "success"],
    ]);
    const stage = await db.stage.findFirstOrThrow({ where: { name: "dev", app: { name: app.name } } });
    expect(await stackNames(stage.id)).toEqual([]);
    expect(await db.liveState.count({ where: { stageId: stage.id } })).toBe(0);
  });

  it("the stage's package time limit stops a command that runs too long", async () => {
    const app = await sourceApp("cmd-timeout", withBuild(`echo "waiting forever"\nsleep 600`));
    await db.stage.updateMany({ where: { name: "dev", app: { name: app.name } }, data: { packageTimeoutMinutes: 0.02 } });
    const started = Date.now();
    await postGithub(app, githubPush(app.first));
    const done = await waitForBuild(app.name, "dev", 1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(done.status).toBe("failed");
    expect(done.steps.find((s) => s.key === "package:producer")!.error).toBe(
      "Timed out after 1.2 s: `./build.sh` was stopped, its processes killed; nothing was deployed. Last lines:\nwaiting forever",
    );
  });

  it("canceling kills the command's whole process group, background children too", async () => {
    const dir = await tempDir("pids");
    const pidFile = path.join(dir, "child.pid");
    const app = await sourceApp("cmd-cancel", withBuild(`sleep 600 &\necho $! > ${pidFile}\necho "started $!"\nwait`));
    await postGithub(app, githubPush(app.first));
    await waitRunning(app.name, 1, "package:producer");
    const pid = Number(await waitFor("the child's pid", async () => (await fs.readFile(pidFile, "utf8").catch(() => "")).trim() || null));
    expect(alive(pid)).toBe(true);

    await cancelBuild({ app: await appRef(app.name), stage: "dev", number: 1, actor: TEST_ACTOR });
    const done = await waitForBuild(app.name, "dev", 1);
    expect(done.status).toBe("canceled");
    await waitFor("the background child to be killed", async () => (alive(pid) ? null : true), 15_000);
    const stage = await db.stage.findFirstOrThrow({ where: { name: "dev", app: { name: app.name } } });
    expect(await stackNames(stage.id)).toEqual([]);
  });
});
