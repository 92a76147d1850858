// Source checkout benchmark: a monorepo of 5,000 files in 20 services, mirrored once, then checked
// out again and again: into fresh workspaces, after removals, and into the kept workspace builds reuse. Target: p95 <= 1 s.
// Run: npx tsx --conditions=react-server bench/source/checkout.ts [--keep] (part of npm run bench:source)
import fs from "node:fs/promises";
import path from "node:path";
import { changedServices } from "@/lib/core/source/changed-services";
import { parseSproutYml } from "@/lib/core/source/sprout-yml";
import { openMirror } from "@/lib/server/source/mirror";
import { checkoutWorkspace, keepWorkspace, removeWorkspace } from "@/lib/server/source/workspace";
import { createOrigin, runGit, tempDir, writeFiles } from "@/tests/support/git-repo";
import { noteCpuPressure } from "../support-measure";
import { layout, SERVICES } from "./repository";

const WARMUP = 2;
const RUNS = 15;
const TARGET_MS = 1000;

const ms = (n: number) => `${n.toFixed(0)} ms`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]!;

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++;
  return n;
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

    // "fresh": every checkout into a new workspace, all removed afterwards. "back to back": each
    // workspace removed right before the next checkout: on file systems that reuse freed blocks
    // lazily (ext4 mounted with discard) creating files just after deleting thousands costs more.
    // "kept": what builds do: each checkout takes the workspace the previous build kept, moves it
    // to the other commit and cleans it, then keeps it again.
    const measure = async (label: string, dataDir: string, between: "keep" | "remove" | "keep-for-reuse") => {
      const times: number[] = [];
      const ids: string[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const id = `bench-${i}`;
        const reuse = between === "keep-for-reuse";
        const start = performance.now();
        const ws = await checkoutWorkspace({
          mirror,
          commit: reuse && i % 2 ? first : sha,
          id,
          dataDir,
          reuseKey: reuse ? "1" : undefined,
        });
        const elapsed = performance.now() - start;
        if (reuse && i > 0 && !ws.reused) throw new Error("the kept workspace was not reused");
        if (i === 0) {
          const n = await countFiles(ws.dir);
          if (n !== Object.keys(files).length) throw new Error(`checkout holds ${n} files, expected ${Object.keys(files).length}`);
        }
        if (i >= WARMUP) times.push(elapsed);
        if (between === "remove") await removeWorkspace({ id, dataDir });
        else if (reuse) await keepWorkspace({ id, key: "1", dataDir });
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
    const p95 = await measure(`fresh workspaces under the data directory (target p95 <= ${TARGET_MS} ms)`, mirror.dataDir, "keep");
    await measure("back to back, each after removing the previous workspace", mirror.dataDir, "remove");
    await measure("the previous build's kept workspace, moved between two commits (what builds do)", mirror.dataDir, "keep-for-reuse");
    // The same in memory: what git itself costs, apart from the file system the workspaces live on.
    const shm = await fs.mkdtemp("/dev/shm/sprout-bench-").catch(() => null);
    if (shm) {
      await measure("fresh workspaces on tmpfs (/dev/shm), for comparison", shm, "keep");
      await fs.rm(shm, { recursive: true, force: true });
    }
    noteCpuPressure();
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
