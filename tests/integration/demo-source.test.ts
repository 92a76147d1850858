// The demo builds from a real git repository (prisma/demo-repo.ts): its commits are the demo's
// builds' commits, dev tracks main and deploys on push (pinned after the demo's rollback), and a
// Deploy of dev rebuilds only what changed since what is live, into the artifacts it would hold.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { ZSourceDeploy } from "@/lib/core/validation";
import { deploySource } from "@/lib/server/operations/deploy-source";
import { unpinStage } from "@/lib/server/operations/pin";
import { listLogLines, ZLogQuery } from "@/lib/server/data/list-log-lines";
import { loadDemoOnce } from "@/prisma/demo";
import { demoRepoPath } from "@/prisma/demo-repo";
import { COMMITS } from "@/prisma/demo/history";
import { appRef, TEST_ACTOR } from "../support/context";
import { waitForBuild, withWorker } from "../support/engine";
import { runGit } from "../support/git-repo";

withWorker();

/** The checkout first, then the other steps by key. */
const steps = (b: { steps: { key: string; action: string; status: string }[] }) => {
  const [first, ...rest] = b.steps.map((s) => [s.key, s.action, s.status]);
  return [first, ...rest.sort((x, y) => x[0]!.localeCompare(y[0]!))];
};
const checkoutThen = (rows: string[][]) => [["checkout", "checkout", "success"], ...rows.sort((x, y) => x[0]!.localeCompare(y[0]!))];
const SERVICES = ["analytics-job", "billing-api", "database", "frontend", "notes-api", "notify-job", "uploads"];

async function deployDev(input: Record<string, unknown> = {}) {
  const queued = await deploySource({ app: await appRef("notes"), stage: "dev", input: ZSourceDeploy.parse(input), actor: TEST_ACTOR });
  const done = await waitForBuild("notes", "dev", queued.number);
  expect(done.status, done.error ?? "").toBe("success");
  return done;
}

beforeAll(async () => {
  const t0 = performance.now();
  expect(await loadDemoOnce()).toBe(true);
  // the repository is made as the demo loads: npm start must stay quick
  expect(performance.now() - t0).toBeLessThan(10_000);
});

describe("the demo's repository", () => {
  it("has the demo's history as commits, which its builds name, and the app notes builds from it", async () => {
    const repo = demoRepoPath();
    const log = (await runGit(repo, ["log", "--reverse", "--format=%H%x09%an%x09%s", "main"])).trim().split("\n");
    expect(log.map((l) => l.split("\t").slice(1))).toEqual(COMMITS.map((c) => [c.author, c.message]));
    const shas = log.map((l) => l.split("\t")[0]!);
    expect(await runGit(repo, ["status", "--porcelain"])).toBe("");
    expect(fs.readFileSync(path.join(repo, "sprout.yml"), "utf8")).toContain("build: node build.mjs");

    const app = await db.app.findUniqueOrThrow({
      where: { name: "notes" },
      include: { stages: { orderBy: { position: "asc" }, include: { builds: { orderBy: { number: "asc" } } } } },
    });
    expect(app.repositoryUrl).toBe(repo);
    expect(app.webhookSecret).toMatch(/^v1:/); // sealed, never stored as is
    expect(app.stages.map((s) => [s.name, s.branch, s.autoDeploy])).toEqual([
      ["dev", "main", true],
      ["prod", "main", false],
    ]);
    for (const st of app.stages) {
      for (const b of st.builds) expect(shas).toContain(b.commitSha);
      expect(st.builds.filter((b) => b.kind !== "rollback").at(-1)!.commitSha).toBe(shas.at(-1));
    }
    // dev's story ends with a rollback to #3: it carries #3's commit, and the stage is pinned
    const dev = app.stages[0]!;
    expect([dev.builds.at(-1)!.kind, dev.builds.at(-1)!.commitSha, dev.pinnedBuild]).toEqual(["rollback", dev.builds[2]!.commitSha, 3]);
  });

  it("once unpinned, Deploy of dev rebuilds what changed since the commit of its live release, #3's: every service, as sprout.yml changed since", async () => {
    await expect(deployDev()).rejects.toThrow(/Stage dev is pinned to #3 after a rollback/);
    await unpinStage({ app: await appRef("notes"), stage: "dev", actor: TEST_ACTOR });
    const done = await deployDev();
    expect(
      done.steps
        .filter((s) => s.action === "package")
        .map((s) => s.key)
        .sort(),
    ).toEqual(SERVICES.map((s) => `package:${s}`));
    const checkout = await listLogLines({
      app: await appRef("notes"),
      stage: "dev",
      number: done.number,
      query: ZLogQuery.parse({ step: "checkout" }),
    });
    expect(checkout.lines.map((l) => l.text).join("\n")).toContain("notes-api: rebuilt (sprout.yml changed");
  });

  it("after a commit to notes-api, Deploy of dev packages and updates notes-api alone", async () => {
    const file = path.join(demoRepoPath(), "services/notes-api/template.yml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("deploySeconds: 3", "deploySeconds: 0.2"));
    await runGit(demoRepoPath(), ["commit", "--quiet", "-am", "notes-api: deploy faster"]);
    const head = (await runGit(demoRepoPath(), ["rev-parse", "HEAD"])).trim();

    const done = await deployDev();
    expect([done.commitSha, done.commitMessage, done.trigger]).toEqual([head, "notes-api: deploy faster", "api"]);
    expect(steps(done)).toEqual(
      checkoutThen([
        ...SERVICES.map((s) => (s === "notes-api" ? [s, "update", "success"] : [s, "unchanged", "unchanged"])),
        ["package:notes-api", "package", "success"],
      ]),
    );
    const page = await listLogLines({
      app: await appRef("notes"),
      stage: "dev",
      number: done.number,
      query: ZLogQuery.parse({ step: "package:notes-api" }),
    });
    expect(page.lines.map((l) => l.text).join("\n")).toContain(`packaged notes-api for dev at ${head.slice(0, 7)} (build #${done.number})`);
  });

  it("a forced Deploy rebuilds every service into the artifacts already live: nothing to deploy", async () => {
    const done = await deployDev({ force: true });
    expect(steps(done)).toEqual(
      checkoutThen([...SERVICES.map((s) => [s, "unchanged", "unchanged"]), ...SERVICES.map((s) => [`package:${s}`, "package", "success"])]),
    );
  });
});
