// A database outage during a build does not kill the worker: a worker process runs a build against
// a PostgreSQL of this file's own, which is stopped mid-step (connections refused) and started
// again. The worker is still alive, and the build ends once the database is back: nothing stays
// running.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { migrate } from "@/scripts/migrate";
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
let output = "";

beforeAll(async () => {
  server = await start();
  await migrate(server.url);
  // this file's db client talks to that server too (it is made on first use)
  process.env.DATABASE_URL = server.url;
}, 120_000);

afterAll(async () => {
  child?.kill("SIGKILL");
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
});
