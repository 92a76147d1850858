// `npm start`'s supervision with real processes: a child that crashes is started again with growing
// delays (reset after a healthy run) until stop(); stopping goes in order and lets the worker finish;
// an embedded postmaster killed with kill -9 answers again within a minute.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startChild } from "@/scripts/children";
import { startEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { stopInOrder, supervise, type TSupervised } from "@/scripts/supervisor";
import { waitFor } from "../support/fixtures";
import { alive, openDir, query, removeClusters } from "../support/embedded-postgres";

const supervised: TSupervised[] = [];
afterEach(async () => {
  for (const s of supervised.splice(0)) await s.stop();
  await removeClusters();
});

/** A tiny node program in `dir`: notes each start (time, pid) in runs.txt, then behaves as `plan[run]` says. */
function script(dir: string, body: string): string {
  const file = path.join(dir, "child.cjs");
  fs.writeFileSync(
    file,
    `const fs = require("fs");
const runs = ${JSON.stringify(path.join(dir, "runs.txt"))};
const run = fs.existsSync(runs) ? fs.readFileSync(runs, "utf8").split("\\n").filter(Boolean).length : 0;
fs.appendFileSync(runs, Date.now() + " " + process.pid + "\\n");
const note = (what) => fs.appendFileSync(${JSON.stringify(path.join(dir, "events.txt"))}, Date.now() + " " + what + "\\n");
${body}`,
  );
  return file;
}
const runs = (dir: string) =>
  fs.existsSync(path.join(dir, "runs.txt"))
    ? fs
        .readFileSync(path.join(dir, "runs.txt"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(" ").map(Number))
    : [];
const events = (dir: string) => fs.readFileSync(path.join(dir, "events.txt"), "utf8").split("\n").filter(Boolean);

describe("a supervised child", () => {
  it("is started again after 0.3, 0.6, 1.2, 1.2 s while it keeps crashing, after 0.3 s again once it ran healthy, until stopped", async () => {
    const dir = openDir();
    // runs 0-3 crash at once; run 4 stays up past healthyMs, then crashes; run 5 crashes; run 6 stays
    const file = script(
      dir,
      `const plan = [100, 100, 100, 100, 1700, 100]; if (plan[run]) setTimeout(() => process.exit(3), plan[run]); else setInterval(() => {}, 1000);`,
    );
    const lines: string[] = [];
    const worker = await supervise({
      name: "worker",
      log: (l) => lines.push(l),
      start: () => startChild({ args: [file], env: process.env, graceMs: 2_000 }),
      minDelayMs: 300,
      maxDelayMs: 1_200,
      healthyMs: 1_500,
    });
    supervised.push(worker);
    await waitFor("7 runs", async () => runs(dir).length === 7, 30_000);

    const waits = ["0.3", "0.6", "1.2", "1.2", "0.3", "0.6"];
    expect(lines.filter((l) => l.includes("stopped"))).toEqual(
      waits.map((w) => `worker stopped (exit code 3): starting it again in ${w} s`),
    );
    const at = runs(dir).map(([t]) => t);
    const ranFor = [100, 100, 100, 100, 1700, 100];
    for (let i = 0; i < 6; i++) expect(at[i + 1] - at[i]).toBeGreaterThanOrEqual(ranFor[i] + Number(waits[i]) * 1000);

    const lastPid = runs(dir)[6][1];
    await worker.stop();
    expect(alive(lastPid)).toBe(false);
    // stopped for good: nothing starts it again after the longest delay
    await new Promise((r) => setTimeout(r, 1_500));
    expect(runs(dir)).toHaveLength(7);
  });

  it("stops in order: the worker finishes its running steps before the web server is told to stop", async () => {
    const workerDir = openDir();
    const webDir = openDir();
    const workerFile = script(
      workerDir,
      `process.on("SIGTERM", () => { note("draining"); setTimeout(() => { note("drained"); process.exit(0); }, 1500); }); setInterval(() => {}, 1000);`,
    );
    const webFile = script(webDir, `process.on("SIGTERM", () => { note("SIGTERM"); process.exit(0); }); setInterval(() => {}, 1000);`);
    const log = () => {};
    const web = await supervise({
      name: "web server",
      log,
      start: () => startChild({ args: [webFile], env: process.env, graceMs: 5_000 }),
    });
    const worker = await supervise({
      name: "worker",
      log,
      start: () => startChild({ args: [workerFile], env: process.env, graceMs: 45_000 }),
    });
    supervised.push(worker, web);
    await waitFor("both running", async () => runs(workerDir).length === 1 && runs(webDir).length === 1);

    await stopInOrder([worker, web], log);
    const drained = Number(
      events(workerDir)
        .find((e) => e.endsWith("drained"))
        ?.split(" ")[0],
    );
    const webStopped = Number(
      events(webDir)
        .find((e) => e.endsWith("SIGTERM"))
        ?.split(" ")[0],
    );
    expect(drained).toBeGreaterThan(0);
    expect(webStopped).toBeGreaterThanOrEqual(drained);
  });

  it("is killed (SIGKILL) when it does not stop within its grace period", async () => {
    const dir = openDir();
    const file = script(dir, `process.on("SIGTERM", () => note("SIGTERM ignored")); setInterval(() => {}, 1000);`);
    const child = await startChild({ args: [file], env: process.env, graceMs: 700 });
    await waitFor("running", async () => runs(dir).length === 1);
    const t0 = Date.now();
    await child.stop();
    expect(await child.exited).toBe("killed by SIGKILL");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
    expect(events(dir)).toHaveLength(1);
  });
});

describe("a supervised embedded PostgreSQL", () => {
  const supervisePostgres = async (dataDir: string, lines: string[]) => {
    let url = "";
    const postgres = await supervise({
      name: "PostgreSQL",
      log: (l) => lines.push(l),
      start: async () => {
        const server = await startEmbeddedPostgres({ dataDir, database: "sprout", serverHome: openDir() });
        url = server.url;
        return server;
      },
    });
    supervised.push(postgres);
    return { postgres, url: () => url };
  };
  const postmasterPid = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
  const answers = (url: string) =>
    query<{ n: number }>(url, "SELECT n FROM kept").then(
      (rows) => rows[0]?.n,
      () => null,
    );

  it("answers again, with its data, within a minute of its postmaster being killed with kill -9", async () => {
    const dataDir = path.join(openDir(), "data");
    const lines: string[] = [];
    const { url } = await supervisePostgres(dataDir, lines);
    await query(url(), "CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)");
    const first = postmasterPid(dataDir);

    process.kill(first, "SIGKILL");
    expect(await waitFor("PostgreSQL to answer again", () => answers(url()), 60_000)).toBe(7);
    expect(postmasterPid(dataDir)).not.toBe(first);
    expect(lines).toContain("PostgreSQL stopped (killed by SIGKILL): starting it again in 1 s");
  });

  it("keeps trying, saying why, while its port is taken, and comes back once it is free", async () => {
    const dataDir = path.join(openDir(), "data");
    const lines: string[] = [];
    const { url } = await supervisePostgres(dataDir, lines);
    await query(url(), "CREATE TABLE kept (n int); INSERT INTO kept VALUES (8)");
    const port = Number(new URL(url()).port);

    process.kill(postmasterPid(dataDir), "SIGKILL");
    const taker = net.createServer((socket) => socket.destroy());
    await waitFor(
      "the port to be taken",
      () => new Promise<boolean>((resolve) => taker.once("error", () => resolve(false)).listen(port, "127.0.0.1", () => resolve(true))),
    );
    try {
      await waitFor("a failed restart", async () => lines.some((l) => l.startsWith("PostgreSQL could not start")), 30_000);
    } finally {
      taker.close();
    }
    expect(lines.find((l) => l.startsWith("PostgreSQL could not start"))).toMatch(
      new RegExp(
        `^PostgreSQL could not start: port ${port} \\(remembered in \\S+pg-port\\) is taken by another program .*Trying again in 2 s\\.$`,
      ),
    );
    expect(await waitFor("PostgreSQL to answer again", () => answers(url()), 60_000)).toBe(8);
  });
});
