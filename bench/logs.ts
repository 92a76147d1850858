// Logs benchmark: a verbose build command. A source build whose build script prints 200,000 lines
// (then waits for the bench's go-ahead and prints one more) runs on a worker; one SSE client follows
// the build on the web server (next start). Measures ingestion end to end: from the first line's
// time to its 200,000th line in the database, and to the same line at the SSE client; then opens
// the build page in Chromium while the step still runs: time from navigation to the log's last line
// on screen; then, on the open page, that the last line is not there yet, and that it arrives once
// the bench lets the script print it (the page follows live).
// Targets: >= 20,000 lines/s into the database and out to the client; page <= 1 s.
// Run: npm run bench:logs [-- --lines 200000 --keep]
// Uses TEST_DATABASE_URL's server when set, else an embedded PostgreSQL under .data/bench.
import type { ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, request } from "@playwright/test";
import { authHeaders, say, sleep, startWeb, stopProcess, withBenchDatabase } from "./support";
import { ms, quantile, startWorkerProcess } from "./engine/client";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LINES = arg("lines", 200_000);
const PAGE_LOADS = 5;
const TARGET = { rate: 20_000, pageMs: 1000 };
const keep = process.argv.includes("--keep");
const STEP = "package:verbose";

function chromiumPath(): string | undefined {
  try {
    if (fs.existsSync(chromium.executablePath())) return undefined;
  } catch {}
  return "/usr/bin/chromium";
}

async function bench(url: string): Promise<boolean> {
  process.env.DATABASE_URL = url;
  process.env.SPROUT_SECRET_KEY ??= crypto.randomBytes(32).toString("hex");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sprout-bench-logs-"));
  process.env.SPROUT_DATA_DIR = dataDir;
  const { db } = await import("@/lib/server/db");
  const { sourceApp, template } = await import("@/tests/support/source");
  const { deploySource } = await import("@/lib/server/operations/deploy-source");
  const { ZSourceDeploy } = await import("@/lib/core/validation");
  const { appRef, TEST_ACTOR } = await import("@/tests/support/context");
  const { setupFirstAdmin, generatePassword, DEMO_ADMIN_EMAIL } = await import("@/lib/server/auth/users");
  let web: ChildProcess | null = null;
  let worker: ChildProcess | null = null;
  const abort = new AbortController();
  try {
    // the script prints its last line only once this file exists (or after 300 s, whatever happens)
    const release = path.join(dataDir, "release-last-line");
    const app = await sourceApp("verbose", {
      "sprout.yml": "services:\n  verbose:\n    path: services/verbose\n    build: ./build.sh\n    template: .sprout/template.json\n",
      "services/verbose/build.sh": {
        text:
          `#!/bin/sh\nset -e\nseq -f 'compiling module %g of ${LINES}: ok' 1 ${LINES}\nmkdir -p .sprout\ncp template.src.json .sprout/template.json\n` +
          `i=0; while [ ! -e '${release}' ] && [ $i -lt 3000 ]; do sleep 0.1; i=$((i+1)); done\necho 'done packaging'\n`,
        mode: 0o755,
      },
      "services/verbose/template.src.json": template(),
    });
    const admin = { email: DEMO_ADMIN_EMAIL, password: generatePassword() };
    await setupFirstAdmin(admin);
    const started = await startWeb(url, { warnStale: true });
    web = started.child;
    worker = await startWorkerProcess(url);

    const queued = await deploySource({
      app: await appRef(app.name),
      stage: "dev",
      input: ZSourceDeploy.parse({ ref: app.first }),
      actor: TEST_ACTOR,
    });
    const build = await db.build.findFirstOrThrow({ where: { number: queued.number, stage: { name: "dev", app: { name: app.name } } } });
    const buildPath = `/apps/${app.name}/stages/dev/builds/${queued.number}`;

    // one SSE client, from the build's start
    let received = 0;
    let lastAt = 0;
    const res = await fetch(`${started.base}/api${buildPath}/events`, {
      headers: { ...authHeaders, accept: "text/event-stream" },
      signal: abort.signal,
    });
    void (async () => {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let cut; (cut = buffer.indexOf("\n\n")) >= 0; buffer = buffer.slice(cut + 2)) {
          const block = buffer.slice(0, cut);
          if (!block.startsWith("id:") || !block.includes("event: log")) continue;
          const data = JSON.parse(block.slice(block.indexOf("data: ") + 6)) as { lines: { service: string; text: string }[] };
          for (const l of data.lines) {
            if (l.service === STEP && l.text.startsWith("compiling module ") && ++received === LINES) lastAt = Date.now();
          }
        }
      }
    })();

    const inDb = () => db.logLine.count({ where: { buildId: build.id, service: STEP, text: { startsWith: "compiling module " } } });
    let dbDoneAt = 0;
    for (const deadline = Date.now() + 120_000; !dbDoneAt; await sleep(20)) {
      if ((await inDb()) >= LINES) dbDoneAt = Date.now();
      else if (Date.now() > deadline) throw new Error(`fewer than ${LINES} lines in the database after 120 s`);
    }
    for (const deadline = Date.now() + 60_000; !lastAt; await sleep(20)) {
      if (Date.now() > deadline) throw new Error(`the SSE client got ${received} of ${LINES} lines`);
    }
    const first = await db.logLine.findFirstOrThrow({
      where: { buildId: build.id, service: STEP, text: { startsWith: "compiling module " } },
      orderBy: { seq: "asc" },
    });
    const t0 = first.time.getTime();
    const dbRate = LINES / ((dbDoneAt - t0) / 1000);
    const sseRate = LINES / ((lastAt - t0) / 1000);
    say(`${LINES} lines: in the database after ${ms(dbDoneAt - t0)}, at the SSE client after ${ms(lastAt - t0)}`);

    // the page, while the step still runs (its script waits for `release`)
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu"] });
    const loads: number[] = [];
    let followed: string | null = null;
    try {
      const api = await request.newContext({ baseURL: started.base });
      if (!(await api.post("/api/auth/sign-in/email", { data: admin })).ok()) throw new Error("sign-in failed");
      const context = await browser.newContext({
        baseURL: started.base,
        storageState: await api.storageState(),
        viewport: { width: 1280, height: 900 },
      });
      await context.addInitScript({ content: "globalThis.__name = (f) => f;" });
      const page = await context.newPage();
      const lastLine = `compiling module ${LINES} of ${LINES}: ok`;
      for (let i = 0; i <= PAGE_LOADS; i++) {
        await page.goto(buildPath, { waitUntil: "commit" });
        const at = await page.evaluate(
          (text) =>
            new Promise<number>((resolve, reject) => {
              const check = () => {
                const rows = document.querySelectorAll("[role=log] [data-seq]");
                if ([...rows].some((r) => r.textContent?.includes(text))) return resolve(performance.now());
                if (performance.now() > 15_000) return reject(new Error("the log's last line did not show in 15 s"));
                requestAnimationFrame(check);
              };
              check();
            }),
          lastLine,
        );
        if (i > 0) loads.push(at); // the first load warms the server
      }
      // following live: the last line, absent while the page opened, reaches it once printed
      const lateLine = page.locator("[role=log] [data-seq]", { hasText: "done packaging" });
      const printed = () => db.logLine.count({ where: { buildId: build.id, text: "done packaging" } });
      const [onPage, inDatabase] = [await lateLine.count(), await printed()];
      if (onPage || inDatabase) {
        followed = `MISSED: "done packaging" was already ${onPage ? "on the page" : "in the database"} before the bench let the script print it`;
      } else {
        fs.writeFileSync(release, "");
        const releasedAt = Date.now();
        const arrived = await lateLine
          .first()
          .waitFor({ timeout: 20_000 })
          .then(() => true)
          .catch(() => false);
        followed = arrived
          ? `ok: the last line, absent when the page opened, arrived ${ms(Date.now() - releasedAt)} after the script was let print it`
          : `MISSED: the last line did not reach the open page within 20 s (${(await printed()) ? "it is in the database" : "not even in the database"})`;
      }
      await api.dispose();
    } finally {
      await browser.close();
    }
    const pageMedian = quantile(loads, 0.5);
    const ok = dbRate >= TARGET.rate && sseRate >= TARGET.rate && pageMedian <= TARGET.pageMs && !!followed?.startsWith("ok");
    console.log(`\nbench: logs (${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)})`);
    console.log(
      `into the database      ${Math.round(dbRate).toLocaleString("en")} lines/s   (target >= ${TARGET.rate.toLocaleString("en")})  ${dbRate >= TARGET.rate ? "ok" : "MISSED"}`,
    );
    console.log(
      `out to the SSE client  ${Math.round(sseRate).toLocaleString("en")} lines/s   (target >= ${TARGET.rate.toLocaleString("en")})  ${sseRate >= TARGET.rate ? "ok" : "MISSED"}`,
    );
    console.log(
      `build page, tail shown median ${ms(pageMedian)}  max ${ms(Math.max(...loads))}   (target <= ${TARGET.pageMs} ms)  ${pageMedian <= TARGET.pageMs ? "ok" : "MISSED"}`,
    );
    console.log(`following live         ${followed ?? "MISSED: the page did not open"}`);
    console.log(
      `  ${LINES.toLocaleString("en")} lines of one build command; page: navigation start to the frame showing the log's last line, ${PAGE_LOADS} loads in Chromium after one warm-up`,
    );
    return ok;
  } finally {
    abort.abort();
    await stopProcess(worker, 5_000);
    await stopProcess(web, 5_000);
    await db.$disconnect();
    // its source repository, mirrors and workspaces
    if (keep) say(`kept the data folder ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

withBenchDatabase("sprout_bench_logs", keep, bench).then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
