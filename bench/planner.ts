// Planner benchmark: a seeded, layered app of 2,000 services and 8,000 dependencies, planned as a
// deploy (release A -> B) and as a rollback (B -> A). Run: npx tsx bench/planner.ts
// The B side adds exports (R1 edges), drops imported exports (R2 edges against D1) and so makes
// the rollback re-add exports against D2: the conflict path is measured, not only the easy one.
import type { TServiceMap, TServiceState } from "@/lib/core/domain";
import { planBuild, type TPlanInput } from "@/lib/core/planner";
import { noteCpuPressure, rng } from "./support-measure";

const SERVICES = 2_000;
const DEPENDENCIES = 8_000;
const LAYERS = 20;
const WARMUP = 15; // V8 settles its optimised code for planBuild after about ten plans
const RUNS = 30;
const TARGET_MS = 50;

function buildReleases(seed: number): { a: TServiceMap; b: TServiceMap } {
  const random = rng(seed);
  const pick = (from: number, to: number) => from + Math.floor(random() * (to - from));
  const perLayer = SERVICES / LAYERS;
  const name = (i: number) => `svc-${String(i).padStart(4, "0")}`;
  const a: TServiceMap = {};
  for (let i = 0; i < SERVICES; i++) {
    const n = name(i);
    a[n] = { artifact: `${n}@1`, exports: { [`${n}-out-0`]: `Ref:${n}0`, [`${n}-out-1`]: `Ref:${n}1` }, imports: [], dependsOn: [] };
  }
  // Dependencies only point to lower layers, so the app itself is acyclic, as a real one is.
  const pairs = new Set<string>();
  while (pairs.size < DEPENDENCIES) {
    const s = pick(perLayer, SERVICES);
    const p = pick(0, Math.floor(s / perLayer) * perLayer);
    const key = `${s}:${p}`;
    if (pairs.has(key)) continue;
    pairs.add(key);
    const consumer = a[name(s)]!;
    if (random() < 0.5) consumer.dependsOn.push(name(p));
    else consumer.imports.push(`${name(p)}-out-${pick(0, 2)}`);
  }

  // Release B: half the services change; some producers add an export their consumers pick up,
  // some drop `-out-1`, whose consumers let go of it in the same build.
  const b: TServiceMap = structuredClone(a);
  const changed = new Set<string>();
  const touch = (n: string): TServiceState => {
    changed.add(n);
    b[n]!.artifact = `${n}@2`;
    return b[n]!;
  };
  for (let i = 0; i < SERVICES; i++) if (random() < 0.5) touch(name(i));
  const importers = new Map<string, string[]>();
  for (const [n, state] of Object.entries(a)) {
    for (const e of state.imports) importers.set(e, [...(importers.get(e) ?? []), n]);
  }
  for (let i = 0; i < SERVICES; i++) {
    const n = name(i);
    if (!changed.has(n)) continue;
    const roll = random();
    if (roll < 0.2 && i < SERVICES - perLayer) {
      b[n]!.exports[`${n}-new`] = `Ref:${n}New`;
      for (let k = 0; k < 3; k++) touch(name(pick((Math.floor(i / perLayer) + 1) * perLayer, SERVICES))).imports.push(`${n}-new`);
    } else if (roll < 0.3) {
      const dropped = `${n}-out-1`;
      delete b[n]!.exports[dropped];
      for (const s of importers.get(dropped) ?? []) {
        const consumer = touch(s);
        consumer.imports = consumer.imports.filter((e) => e !== dropped);
      }
    }
  }
  for (const state of Object.values(b)) state.imports = [...new Set(state.imports)];
  // The planner gets its input as parsed JSON (from the database or the API); a round trip gives
  // the objects that shape rather than the ones edited in place above.
  return { a: JSON.parse(JSON.stringify(a)) as TServiceMap, b: JSON.parse(JSON.stringify(b)) as TServiceMap };
}

function measure(label: string, input: TPlanInput) {
  const first = planBuild(input);
  if (!first.ok) throw new Error(`${label}: planner refused the bench graph: ${first.error.code}: ${first.error.message}`);
  for (let k = 0; k < WARMUP; k++) planBuild(input);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    planBuild(input);
    const used = process.cpuUsage(startCpu);
    times.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((x, y) => x - y);
  cpu.sort((x, y) => x - y);
  const median = times[Math.floor(RUNS / 2)]!;
  const p95 = times[Math.min(RUNS - 1, Math.ceil(RUNS * 0.95) - 1)]!;
  const { steps, warnings } = first.plan;
  const phases = Math.max(...steps.map((s) => s.phase));
  const dropped = warnings.filter((w) => w.code === "edge-dropped").length;
  console.log(
    `planner ${label} ${SERVICES} services/${DEPENDENCIES} deps: median ${median.toFixed(1)} ms p95 ${p95.toFixed(1)} ms ` +
      `min ${times[0]!.toFixed(1)} ms, cpu median ${cpu[Math.floor(RUNS / 2)]!.toFixed(1)} ms (target <= ${TARGET_MS} ms) ` +
      `[${steps.length} steps, ${phases} phases, ${warnings.length} warnings, ${dropped} edges dropped]`,
  );
  return median;
}

const { a, b } = buildReleases(20_191_002);
const medians = [
  measure("deploy", { kind: "deploy", live: a, target: b }),
  measure("rollback", { kind: "rollback", live: b, target: a, targetLabel: "#1" }),
];
noteCpuPressure();
if (medians.some((m) => m > TARGET_MS)) {
  console.error(`planner bench: median above the ${TARGET_MS} ms target`);
  process.exit(1);
}
