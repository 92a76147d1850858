// Navigation benchmark: click to content in real Chromium against `next start` with the demo, for
// the hops someone makes in an incident: apps -> app -> stage -> build -> back. Each round starts
// with a full page load (an empty router cache); before each click the mouse rests on the target
// for DWELL_MS, as a hand does, then the time from the click event to the frame where the next
// page's content is in the DOM is read in the page itself. Prints median and p95 per hop.
// Run: npm run bench:navigation [-- --rounds 20 --dwell 300 --cold --keep]
// Uses TEST_DATABASE_URL's server when set, else an embedded PostgreSQL under .data/bench.
import fs from "node:fs";
import { chromium, request, type Page } from "@playwright/test";
import { say, sleep, startWeb, stopProcess, withBenchDatabase } from "./support";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg("rounds", 20);
const DWELL_MS = arg("dwell", 300);
// --cold: the click comes from a script (no pointer over the link first, so no hover prefetch): the server's and the browser's time alone
const COLD = process.argv.includes("--cold");
const TARGET_MEDIAN_MS = 200;
const keep = process.argv.includes("--keep");

type TDone = { h1: string; selector: string };

/** Arms a watcher in the page: resolves with ms from the next click (or `now`) to the frame where `done` holds. */
async function arm(page: Page, done: TDone, startNow = false) {
  await page.evaluate(
    ({ done, startNow }) => {
      const w = window as unknown as { __hop: Promise<number> };
      let start: number | null = startNow ? performance.now() : null;
      if (!startNow) document.addEventListener("click", (e) => (start ??= e.timeStamp), { capture: true, once: true });
      w.__hop = new Promise((resolve, reject) => {
        const until = performance.now() + 10_000;
        const check = () => {
          const ok = document.querySelector("h1")?.textContent?.trim() === done.h1 && document.querySelector(done.selector);
          if (ok && start !== null) return resolve(performance.now() - start);
          if (performance.now() > until) return reject(new Error(`no "${done.h1}" after 10 s`));
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
    },
    { done, startNow },
  );
}

const result = (page: Page) => page.evaluate(() => (window as unknown as { __hop: Promise<number> }).__hop);

async function clickHop(page: Page, target: string, done: TDone): Promise<number> {
  const link = page.locator(target).first();
  if (COLD) {
    await arm(page, done);
    await link.evaluate((a: HTMLElement) => a.click());
    return result(page);
  }
  await link.hover();
  await sleep(DWELL_MS);
  await arm(page, done);
  await link.click();
  return result(page);
}

async function backHop(page: Page, done: TDone): Promise<number> {
  if (!COLD) await sleep(DWELL_MS);
  await arm(page, done, true);
  await page.evaluate(() => history.back());
  return result(page);
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

function chromiumPath(): string | undefined {
  try {
    if (fs.existsSync(chromium.executablePath())) return undefined;
  } catch {}
  return "/usr/bin/chromium";
}

async function main() {
  await withBenchDatabase("sprout_nav", keep, async (url) => {
    process.env.DATABASE_URL = url;
    const { loadDemo } = await import("@/prisma/demo");
    await loadDemo();
    const { setupFirstAdmin, generatePassword, DEMO_ADMIN_EMAIL } = await import("@/lib/server/auth/users");
    const admin = { email: DEMO_ADMIN_EMAIL, password: generatePassword() };
    await setupFirstAdmin(admin);
    const { child, base } = await startWeb(url, { warnStale: true });
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const api = await request.newContext({ baseURL: base });
      const signIn = await api.post("/api/auth/sign-in/email", { data: admin });
      if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
      const context = await browser.newContext({
        baseURL: base,
        storageState: await api.storageState(),
        viewport: { width: 1280, height: 900 },
      });
      // tsx keeps function names with a `__name` helper, which functions sent to the page call too
      await context.addInitScript({ content: "globalThis.__name = (f) => f;" });
      const page = await context.newPage();
      const build = 12;
      const hops: [string, (p: Page) => Promise<number>][] = [
        ["apps → app", (p) => clickHop(p, 'a[href="/apps/notes"]', { h1: "notes", selector: "[data-stage=prod]" })],
        ["app → stage", (p) => clickHop(p, "a[data-stage=prod]", { h1: "prod", selector: "[data-build]" })],
        [
          "stage → build",
          (p) => clickHop(p, `[data-build="${build}"] a[data-row-link]`, { h1: `Build #${build}`, selector: "[data-step]" }),
        ],
        ["build → back", (p) => backHop(p, { h1: "prod", selector: "[data-build]" })],
      ];
      const times = new Map<string, number[]>(hops.map(([name]) => [name, []]));
      for (let round = 0; round <= ROUNDS; round++) {
        await page.goto("/");
        await page.locator('a[href="/apps/notes"]').waitFor();
        for (const [name, hop] of hops) {
          const ms = await hop(page);
          if (round > 0) times.get(name)!.push(ms); // round 0 warms the server
        }
      }
      const how = COLD ? "clicks from a script (no hover, no dwell)" : `the mouse resting ${DWELL_MS} ms on the target before each click`;
      say(`click to content, ${ROUNDS} rounds, ${how} (Chromium, next start, demo data)`);
      let missed = false;
      for (const [name, xs] of times) {
        const median = percentile(xs, 50);
        const p95 = percentile(xs, 95);
        missed ||= median > TARGET_MEDIAN_MS;
        say(
          `${name.padEnd(14)} median ${median.toFixed(0).padStart(4)} ms   p95 ${p95.toFixed(0).padStart(4)} ms   ${median <= TARGET_MEDIAN_MS ? "ok" : "MISSED"} (target: median ≤ ${TARGET_MEDIAN_MS} ms)`,
        );
      }
      await api.dispose();
      if (missed) process.exitCode = 1;
    } finally {
      await browser.close();
      await stopProcess(child, 5_000);
      const { db } = await import("@/lib/server/db");
      await db.$disconnect();
    }
  });
}

await main();
