// Engine benchmark, scheduling and rollback: a 20-service graph deployed from nothing to fresh
// apps (each watched by one page), then rolled back and forth; each build's wall time against its
// critical path, from the durations set in the templates and from the steps' observed ones.
import { service } from "@/tests/support/fixtures";
import {
  api,
  commit,
  ctx,
  ms,
  quantile,
  sec,
  slowest,
  timedPickup,
  until,
  waitEnd,
  type TBuild,
  type TPickup,
  type TRow,
  type TStep,
} from "./client";
import { SseClient } from "./live";

const SCHED = { widths: [3, 5, 6, 4, 2], slack: 0.1, runs: 3 };
const ROLLBACK = { runs: 10, targetMedianMs: 300 };

/** Longest weighted path, phase-by-phase time and serial time of a plan, `dur` in ms per service. */
function planTimes(steps: TStep[], dur: (s: TStep) => number) {
  const finish = new Map<string, number>();
  const byService = new Map(steps.map((s) => [s.service, s]));
  const finishOf = (s: TStep): number => {
    const known = finish.get(s.service);
    if (known !== undefined) return known;
    const start = Math.max(0, ...s.after.map((a) => (byService.has(a) ? finishOf(byService.get(a)!) : 0)));
    const f = start + dur(s);
    finish.set(s.service, f);
    return f;
  };
  const critical = Math.max(...steps.map(finishOf));
  const phases = new Map<number, number>();
  for (const s of steps) phases.set(s.phase, Math.max(phases.get(s.phase) ?? 0, dur(s)));
  const wave = [...phases.values()].reduce((a, b) => a + b, 0);
  const serial = steps.reduce((a, s) => a + dur(s), 0);
  return { critical, wave, serial, phases: phases.size };
}

const observed = (s: TStep) => Date.parse(s.finishedAt!) - Date.parse(s.startedAt!);
const wallOf = (b: TBuild) => Date.parse(b.finishedAt!) - Date.parse(b.startedAt!);

/** The gaps the scheduler left: for each step, from its last predecessor's end to its own start. */
function startGaps(b: TBuild): number[] {
  const byService = new Map(b.steps.map((s) => [s.service, s]));
  return b.steps.map((s) => {
    const ready = Math.max(Date.parse(b.startedAt!), ...s.after.map((a) => Date.parse(byService.get(a)!.finishedAt!)));
    return Date.parse(s.startedAt!) - ready;
  });
}

// A 20-service graph in 5 levels of different widths: each service exports one value; a service
// imports from one or two services of the level above, some also from two levels above.
type TSvc = { name: string; imports: string[]; seconds: number };
function graph(): TSvc[] {
  const levels: string[][] = SCHED.widths.map((w, k) => Array.from({ length: w }, (_, j) => `l${k + 1}-${String.fromCharCode(97 + j)}`));
  const out: TSvc[] = [];
  let idx = 0;
  levels.forEach((names, k) => {
    names.forEach((name, j) => {
      const deps = new Set<string>();
      if (k > 0) {
        const up = levels[k - 1]!;
        deps.add(up[j % up.length]!);
        if ((j + k) % 2 === 0) deps.add(up[(j + 1) % up.length]!);
      }
      if (k > 1 && j % 3 === 0) deps.add(levels[k - 2]![(2 * j) % levels[k - 2]!.length]!);
      out.push({ name, imports: [...deps].sort(), seconds: Number((0.3 + ((idx * 7) % 13) / 10).toFixed(1)) });
      idx++;
    });
  });
  return out;
}
const exportOf = (name: string) => `${name}-out-` + "${stage}";
const manifest = (svcs: TSvc[], version: number) =>
  svcs.map((s) => ({
    name: s.name,
    template: service({ exports: [exportOf(s.name)], imports: s.imports.map(exportOf), seconds: s.seconds, version }),
  }));

function schedRow(name: string, what: string, b: TBuild, seconds: Map<string, number>): TRow {
  const set = planTimes(b.steps, (s) => seconds.get(s.service)! * 1000);
  const obs = planTimes(b.steps, observed);
  const wall = wallOf(b);
  const gaps = startGaps(b);
  // The critical path from the durations set in the templates is the brief's bar; the one from the
  // steps' observed durations keeps it honest when the driver takes more or less than it was told.
  const ok = wall <= set.critical * (1 + SCHED.slack) && wall <= obs.critical * (1 + SCHED.slack);
  return {
    name,
    what,
    figures: `wall ${sec(wall)}  critical path ${sec(set.critical)}  waves ${sec(set.wave)}  serial ${sec(set.serial)}`,
    target: `wall <= ${1 + SCHED.slack} x CP, set & observed`,
    ok,
    detail: [
      `${b.steps.length} steps in ${set.phases} phases; wall/CP ${(wall / set.critical).toFixed(2)}; CP from the steps' observed durations ${sec(obs.critical)} ` +
        `(wall/CP ${(wall / obs.critical).toFixed(2)}); observed/set step time ${(b.steps.reduce((a, s) => a + observed(s), 0) / set.serial).toFixed(2)}; ` +
        `start gap after predecessors: median ${ms(quantile(gaps, 0.5))}, max ${ms(Math.max(...gaps))}`,
    ],
  };
}

/** The worse of wall/CP (durations set) and wall/CP (durations observed): what the target bounds. */
function slowness(b: TBuild, seconds: Map<string, number>): number {
  const wall = wallOf(b);
  return Math.max(wall / planTimes(b.steps, (s) => seconds.get(s.service)! * 1000).critical, wall / planTimes(b.steps, observed).critical);
}

/** The row of the median build (by slowness), with the spread over all of them. */
function medianSchedRow(
  name: string,
  what: (b: TBuild) => string,
  builds: TBuild[],
  seconds: Map<string, number>,
): { row: TRow; median: TBuild } {
  const ranked = [...builds].sort((x, y) => slowness(x, seconds) - slowness(y, seconds));
  const median = ranked[Math.ceil(ranked.length / 2) - 1]!;
  const row = schedRow(name, what(median), median, seconds);
  const range = (f: (b: TBuild) => number) => `${Math.min(...builds.map(f)).toFixed(2)} .. ${Math.max(...builds.map(f)).toFixed(2)}`;
  row.detail!.push(
    `median of ${builds.length} builds; over all: wall/CP ${range((b) => wallOf(b) / planTimes(b.steps, (s) => seconds.get(s.service)! * 1000).critical)}, ` +
      `wall/observed CP ${range((b) => wallOf(b) / planTimes(b.steps, observed).critical)}`,
  );
  return { row, median };
}

export async function benchSchedulingAndRollback(): Promise<TRow[]> {
  const svcs = graph();
  const seconds = new Map(svcs.map((s) => [s.name, s.seconds]));
  // The same graph deployed from nothing to SCHED.runs fresh apps, each watched by one page: how
  // many snapshots it is sent, and how many of them show nothing new.
  const deploys: { app: string; build: TBuild; snapshots: number; repeats: number }[] = [];
  for (let k = 1; k <= SCHED.runs; k++) {
    const app = `graph-${k}`;
    await api("POST", "/api/apps", { name: app, stages: [{ name: "prod" }] });
    const url = `/api/apps/${app}/stages/prod/builds`;
    const { build: queued } = await api<{ build: TBuild }>("POST", url, {
      commit: commit("v1: all 20 services"),
      services: manifest(svcs, 1),
    });
    const watcher = new SseClient(`${ctx.base}${url}/${queued.number}/events`);
    const seen = { snapshots: 0, repeats: 0, last: "" };
    watcher.onBuild = (b) => {
      const json = JSON.stringify(b);
      seen.snapshots++;
      if (json === seen.last) seen.repeats++;
      seen.last = json;
    };
    await watcher.open();
    const build = await waitEnd(app, queued.number);
    await until("the watcher's stream to end", async () => watcher.ended, 10_000).finally(() => watcher.close());
    deploys.push({ app, build, ...seen });
  }
  const { row: sched, median: shown } = medianSchedRow(
    "schedule",
    () => "20-service deploy from nothing",
    deploys.map((d) => d.build),
    seconds,
  );
  const watched = deploys.find((d) => d.build === shown)!;
  sched.detail!.push(
    `a page watching it was sent ${watched.snapshots} build snapshots, ${watched.repeats} of them identical to the one before`,
  );
  const rows = [sched];

  // Rollbacks on the first app: #2 deploys v2 of every service; then roll back to #1, forward to #2
  // (the newest successful build that is not live), and so on.
  const app = deploys[0]!.app;
  const first = deploys[0]!.build;
  const url = `/api/apps/${app}/stages/prod/builds`;
  const { build: second } = await api<{ build: TBuild }>("POST", url, {
    commit: commit("v2: all 20 services"),
    services: manifest(svcs, 2),
  });
  await waitEnd(app, second.number);
  const samples: TPickup[] = [];
  const builds: TBuild[] = [];
  for (let i = 0; i < ROLLBACK.runs; i++) {
    const target = i % 2 === 0 ? first.number : second.number;
    const r = await timedPickup(app, `${url}/${target}/rollback`, undefined);
    samples.push(r);
    const b = await waitEnd(app, r.number);
    if (b.kind !== "rollback" || b.rollbackOf !== target) throw new Error(`build #${b.number} is not a rollback to #${target}`);
    builds.push(b);
  }
  const pick = samples.map((s) => s.pickupMs);
  const median = quantile(pick, 0.5);
  rows.push({
    name: "rollback",
    what: "POST rollback -> first step running",
    figures: `median ${ms(median)}  p95 ${ms(quantile(pick, 0.95))}`,
    target: `<= ${ROLLBACK.targetMedianMs} ms`,
    ok: median <= ROLLBACK.targetMedianMs,
    detail: [
      `${ROLLBACK.runs} rollbacks of 20 services (to #${first.number} and #${second.number} alternately); split (medians): POST answered ${ms(
        quantile(
          samples.map((s) => s.answeredMs),
          0.5,
        ),
      )}, ` +
        `build created -> claimed ${ms(
          quantile(
            samples.map((s) => s.queuedToClaimMs),
            0.5,
          ),
        )}, claimed -> first step ${ms(
          quantile(
            samples.map((s) => s.claimToStepMs),
            0.5,
          ),
        )}; ${slowest(samples)}`,
    ],
  });
  rows.push(medianSchedRow("rollback", (b) => `20-service rollback (#${b.number}, to #${b.rollbackOf})`, builds, seconds).row);
  return rows;
}
