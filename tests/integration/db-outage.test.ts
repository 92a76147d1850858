// A database outage during a build does not kill the worker: a worker process runs a build against
// a PostgreSQL of this file's own, which is stopped mid-step (connections refused) and started
// again, or killed with kill -9 and started again by npm start's supervisor. The worker is still
// alive, the build ends once the database is back (nothing stays running), the API answers and
// the next deploy runs.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { migrate } from "@/scripts/migrate";
import { supervise, type TSupervised } from "@/scripts/supervisor";
import fs from "node:fs";
import { openDir, removeClusters } from "../support/embedded-postgres";
import { commit, service, waitFor } from "../support/fixtures";
import { createStage, logText, waitForBuild } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import { ZDeployBody } from "@/lib/core/validation";

const dataDir = path.join(openDir(), "data");
const serverHome = openDir();
const start = () => startEmbeddedPostgres({ dataDir, database: "sprout", serverHome });
let server: TEmbeddedPostgres;
let child: ChildProcess | null = null;
let supervised: TSupervised | null = null;
let output = "";

beforeAll(async () => {
  server = await start();
  await migrate(server.url);
  // this file's db client talks to that server too (it is made on first use)
  process.env.DATABASE_URL = server.url;
}, 120_000);

afterAll(async () => {
  child?.kill("SIGKILL");
  await supervised?.stop();
  const { db } = await import("@/lib/server/db");
  await db.$disconnect();
  await server?.stop();
  await removeClusters();
});

function spawnWorker(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/worker/main.ts"], {
    env: { ...process.env, DATABASE_URL: server.url, SPROUT_LEASE_MS: "1500" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout!.on("data", (d) => (output += d));
  proc.stderr!.on("data", (d) => (output += d));
  return waitForOutput(proc, "[worker] ready").then(() => proc);
}

/** Resolves when the worker has printed `text`; fails the test, with its output, if it exits first. */
function waitForOutput(proc: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`the worker exited (${code ?? signal}) before it printed "${text}":\n${output}`));
    const check = () => {
      if (!output.includes(text)) return;
      proc.off("exit", onExit);
      proc.stdout!.off("data", check);
      proc.stderr!.off("data", check);
      resolve();
    };
    proc.once("exit", onExit);
    proc.stdout!.on("data", check);
    proc.stderr!.on("data", check);
    check();
  });
}

describe("a database outage mid-build", () => {
  it("leaves the worker running; the step's end waits for the database, and the build then ends", async () => {
    const { db } = await import("@/lib/server/db");
    const { deploy } = await import("@/lib/server/operations/deploy");
    await createStage("outage");
    child = await spawnWorker();
    const queued = await deploy({
      app: await appRef("outage"),
      stage: "prod",
      input: ZDeployBody.parse({
        commit: commit("through an outage"),
        services: [
          { name: "first", template: service({ exports: ["First-${stage}"], seconds: 3 }) },
          { name: "second", template: service({ imports: ["First-${stage}"], seconds: 0.2 }) },
        ],
      }),
      actor: TEST_ACTOR,
    });
    // the step has read the account and waits out its deploySeconds: its next database write is its commit
    await waitFor("first to start deploying", () =>
      db.logLine.findFirst({ where: { service: "first", text: { contains: "CREATE_IN_PROGRESS AWS::CloudFormation::Stack" } } }),
    );

    await server.stop();
    // the step's deploy reaches its commit while the database refuses connections
    await waitForOutput(child, "database unreachable while committing stack first-prod to the sandbox account");
    server = await start();

    const done = await waitForBuild("outage", "prod", queued.number, 30_000);
    expect(done.status, await logText(done.id)).toBe("success");
    expect(done.steps.map((s) => [s.service, s.status])).toEqual([
      ["first", "success"],
      ["second", "success"],
    ]);
    expect(await db.build.count({ where: { status: "running" } })).toBe(0);
    expect(child.exitCode, output).toBeNull();
    expect(child.signalCode).toBeNull();
    expect(output).toMatch(/database back after \d+ s: committing stack first-prod to the sandbox account done/);
    // the lines logged during the outage were kept, in order
    expect(await logText(done.id)).toMatch(
      /first: CREATE_COMPLETE AWS::Lambda::Function Fn\n(.*\n)*first: .*CREATE_COMPLETE AWS::CloudFormation::Stack first-prod/,
    );
  });

  it("kill -9 of PostgreSQL mid-build: the supervisor starts it again, the API answers within a minute, that build ends and the next deploy runs", async () => {
    const { db } = await import("@/lib/server/db");
    const { deploy } = await import("@/lib/server/operations/deploy");
    const { GET } = await import("@/app/api/apps/[app]/stages/[stage]/builds/route");
    const { ensureBootstrapToken } = await import("@/lib/server/auth/tokens");
    const token = "bootstrap-token-for-the-kill-9-test-0123456789";
    await ensureBootstrapToken(token);
    const history = () =>
      GET(new Request("http://localhost/api/apps/killed/stages/prod/builds", { headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve({ app: "killed", stage: "prod" }),
      } as never).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown, retryAfter: r.headers.get("retry-after") }));
    // the server of the test above, handed to the supervisor npm start uses
    await server.stop();
    const lines: string[] = [];
    supervised = await supervise({ name: "PostgreSQL", log: (l) => lines.push(l), start: async () => (server = await start()) });
    await createStage("killed");
    child ??= await spawnWorker();
    const body = (message: string, seconds: number, version: number) =>
      ZDeployBody.parse({ commit: commit(message), services: [{ name: "api", template: service({ seconds, version }) }] });
    const queued = await deploy({ app: await appRef("killed"), stage: "prod", input: body("before the kill", 3, 1), actor: TEST_ACTOR });
    await waitFor("api to start deploying", () =>
      db.logLine.findFirst({ where: { service: "api", build: { number: queued.number, stage: { app: { name: "killed" } } } } }),
    );

    const postmaster = Number(fs.readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    const killedAt = Date.now();
    process.kill(postmaster, "SIGKILL");
    // meanwhile (the supervisor waits 1 s before it starts PostgreSQL again) the API says to try again
    expect(await history()).toEqual({
      status: 503,
      body: { error: { code: "unavailable", message: "The database cannot be reached right now; try again in a few seconds." } },
      retryAfter: "5",
    });
    await waitFor("the API to answer again", async () => (await history()).status === 200, 60_000);
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    expect(lines).toContain("PostgreSQL stopped (killed by SIGKILL): starting it again in 1 s");

    const done = await waitForBuild("killed", "prod", queued.number, 60_000);
    expect(["success", "failed"]).toContain(done.status); // it ends, whichever way its step's commit went
    expect(await db.build.count({ where: { status: "running" } })).toBe(0);
    const next = await deploy({ app: await appRef("killed"), stage: "prod", input: body("after the kill", 0.1, 2), actor: TEST_ACTOR });
    expect((await waitForBuild("killed", "prod", next.number, 30_000)).status).toBe("success");
    expect(child.exitCode, output).toBeNull();
  }, 150_000);
});
