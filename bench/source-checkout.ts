// Source checkout benchmark: a monorepo of 5,000 files in 20 services, mirrored once, then checked
// out into fresh workspaces again and again, as every package step does. Target: p95 <= 1 s.
// Run: npx tsx --conditions=react-server bench/source-checkout.ts [--keep]
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { changedServices } from "@/lib/core/source/changed-services";
import { parseSproutYml } from "@/lib/core/source/sprout-yml";
import { openMirror } from "@/lib/server/source/mirror";
import { checkoutWorkspace, removeWorkspace } from "@/lib/server/source/workspace";
import { createOrigin, runGit, tempDir, writeFiles, type TFiles } from "@/tests/support/git-repo";

const SERVICES = 20;
const FILES = 5_000;
const WARMUP = 2;
const RUNS = 15;
const TARGET_MS = 1000;

// mulberry32: tiny seeded PRNG, so every run measures the same repository.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const name = (i: number) => `svc-${String(i + 1).padStart(2, "0")}`;

/** 5,000 source files of 0.2 to 4 KB, spread over 20 services' src/, src/lib/ and test/ folders. */
function layout(seed: number): TFiles {
  const random = rng(seed);
  const words = [
    "const",
    "export",
    "function",
    "return",
    "await",
    "import",
    "from",
    "topic",
    "billing",
    "notes",
    "stage",
    "handler",
    "event",
  ];
  const files: TFiles = {};
  const perService = FILES / SERVICES;
  for (let s = 0; s < SERVICES; s++) {
    for (let f = 0; f < perService; f++) {
      const folder = ["src", "src/lib", "test"][f % 3];
      const length = 200 + Math.floor(random() * 3800);
      let text = "";
      while (text.length < length) text += `${words[Math.floor(random() * words.length)]}${random() < 0.15 ? "\n" : " "}`;
      files[`services/${name(s)}/${folder}/file-${f}.ts`] = text;
    }
    files[`services/${name(s)}/.sprout/template.json`] = JSON.stringify({ Resources: { Topic: { Type: "AWS::SNS::Topic" } } });
  }
  const yml = ["services:"];
  for (let s = 0; s < SERVICES; s++) {
    yml.push(`  ${name(s)}:`, `    path: services/${name(s)}`, "    build: npm run package", "    template: .sprout/template.json");
    if (s > 0) yml.push(`    dependsOn: [${name(Math.floor((s - 1) / 2))}]`);
  }
  files["sprout.yml"] = `${yml.join("\n")}\n`;
  return files;
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]!;

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++;
  return n;
}

function cpuPressure(): string | null {
  try {
    return /some avg10=([\d.]+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"))?.[1] ?? null;
  } catch {
    return null;
  }
}

async function main() {
  const keep = process.argv.includes("--keep");
  const root = await tempDir("bench-checkout");
  try {
    let t = performance.now();
    const origin = await createOrigin(root);
    const files = layout(20_240_501);
    await writeFiles(origin.work, files);
    await origin.git(["add", "--all"]);
    await origin.git(["commit", "--quiet", "-m", "5,000 files in 20 services"]);
    await origin.git(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
    const first = (await origin.git(["rev-parse", "HEAD"])).trim();
    const second = await origin.commit(
      { "services/svc-03/src/file-0.ts": "changed\n", "services/svc-17/test/file-2.ts": null, "services/svc-17/test/new.ts": "new\n" },
      "Touch two services",
    );
    console.log(`repository: ${Object.keys(files).length} files in ${SERVICES} services, made in ${ms(performance.now() - t)}`);

    const mirror = openMirror({ app: "bench", url: origin.url, dataDir: path.join(root, "data") });
    t = performance.now();
    await mirror.sync();
    const firstSync = performance.now() - t;
    t = performance.now();
    await mirror.sync();
    console.log(`mirror: first fetch ${ms(firstSync)}, fetch with nothing new ${ms(performance.now() - t)}`);

    t = performance.now();
    const sha = await mirror.resolve("main");
    const config = parseSproutYml((await mirror.readFile(sha, "sprout.yml"))!);
    const changed = changedServices(config, await mirror.changedPaths(first, second));
    console.log(
      `resolve + read sprout.yml + changed paths: ${ms(performance.now() - t)} ` +
        `[${config.services.length} services; changed: ${changed.map((c) => c.name).join(", ")}]`,
    );

    // "fresh": every checkout into a new workspace, all removed afterwards, as builds do (a build's
    // workspace goes at its end, minutes after its checkout). "back to back": each workspace removed
    // right before the next checkout: on file systems that reuse freed blocks lazily (ext4 mounted
    // with discard) creating files just after deleting thousands costs more; the worst case.
    const measure = async (label: string, dataDir: string, removeBetween: boolean) => {
      const times: number[] = [];
      const ids: string[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const id = `bench-${i}`;
        const start = performance.now();
        const ws = await checkoutWorkspace({ mirror, commit: sha, id, dataDir });
        const elapsed = performance.now() - start;
        if (i === 0) {
          const n = await countFiles(ws.dir);
          if (n !== Object.keys(files).length) throw new Error(`checkout holds ${n} files, expected ${Object.keys(files).length}`);
        }
        if (i >= WARMUP) times.push(elapsed);
        if (removeBetween) await removeWorkspace({ id, dataDir });
        else ids.push(id);
      }
      for (const id of ids) await removeWorkspace({ id, dataDir });
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)]!;
      const p95 = percentile(times, 0.95);
      console.log(
        `checkout of ${Object.keys(files).length} files, ${label}, ${RUNS} runs: ` +
          `median ${ms(median)} p95 ${ms(p95)} min ${ms(times[0]!)} max ${ms(times.at(-1)!)}`,
      );
      return p95;
    };
    const p95 = await measure(`fresh workspaces under the data directory (target p95 <= ${TARGET_MS} ms)`, mirror.dataDir, false);
    await measure("back to back, each after removing the previous workspace (worst case)", mirror.dataDir, true);
    // The same in memory: what git itself costs, apart from the file system the workspaces live on.
    const shm = await fs.mkdtemp("/dev/shm/sprout-bench-").catch(() => null);
    if (shm) {
      await measure("fresh workspaces on tmpfs (/dev/shm), for comparison", shm, false);
      await fs.rm(shm, { recursive: true, force: true });
    }
    const pressure = cpuPressure();
    if (pressure !== null && Number(pressure) > 20)
      console.log(`note: CPU pressure ${pressure}% over the last 10 s: other processes competed for the CPU`);
    console.log(`git ${(await runGit(root, ["--version"])).trim().replace(/^git version /, "")}, node ${process.version}`);
    if (p95 > TARGET_MS) {
      console.error(`source checkout bench: p95 ${ms(p95)} above the ${TARGET_MS} ms target`);
      process.exitCode = 1;
    }
  } finally {
    if (keep) console.log(`kept ${root}`);
    else await fs.rm(root, { recursive: true, force: true });
  }
}

await main();
