// The planner against a simulated CloudFormation: 3,000 random apps, every accepted plan replayed
// in random orders that its `after` edges allow; removing any required-edge rule makes this fail.
// Some export values are expressions only AWS resolves: two texts may be one value, and the only
// refusal an accepted plan may meet on AWS is one it warned about (export-value-may-change).
import { describe, expect, test } from "vitest";
import { isKnownExportValue, type TServiceMap, type TServiceState } from "@/lib/core/domain";
import { planBuild, type TPlannedStep } from ".";

const svc = (artifact: string): TServiceState => ({ artifact, exports: {}, imports: [], dependsOn: [] });

/** What AWS resolves each value text to: `!Ref A` and `!Sub '${A}'` are one topic. */
const REAL: Record<string, string> = {
  '{"Ref":"A"}': "arn:A",
  '{"Fn::Join":["",["arn:",{"Ref":"A"}]]}': "arn:arn:A",
  '{"Fn::GetAtt":["A","Arn"]}': "arn:A",
};
const real = (text: string | undefined) => (text === undefined ? undefined : (REAL[text] ?? text));

// CloudFormation's cross-stack rules, applied one step at a time: what the sandbox driver does.
function runOnAws(live: TServiceMap, target: TServiceMap, order: TPlannedStep[]): { message: string; exportName: string } | null {
  const world = new Map(Object.entries(live));
  // Names no service of the app exports belong to stacks outside it; the planner cannot judge them.
  const known = new Set([...Object.values(live), ...Object.values(target)].flatMap((st) => Object.keys(st.exports)));
  const exporter = (name: string, except: string) => [...world].find(([s, st]) => s !== except && Object.hasOwn(st.exports, name));
  const importer = (name: string, except: string) => [...world].find(([s, st]) => s !== except && st.imports.includes(name));
  for (const { service, action } of order) {
    const before = world.get(service);
    const after = action === "remove" ? undefined : target[service]!;
    for (const name of after?.imports ?? []) {
      if (known.has(name) && !exporter(name, service)) return { message: `${service}: No export named ${name} found`, exportName: name };
    }
    for (const [name, value] of Object.entries(before?.exports ?? {})) {
      const user = importer(name, service);
      if (user && real(after?.exports[name]) !== real(value)) {
        return { message: `${service}: Export ${name} cannot be deleted as it is in use by ${user[0]}`, exportName: name };
      }
    }
    for (const name of Object.keys(after?.exports ?? {})) {
      const owner = exporter(name, service);
      if (owner && !before?.exports[name])
        return { message: `${service}: Export ${name} is already exported by ${owner[0]}`, exportName: name };
    }
    if (after) world.set(service, after);
    else world.delete(service);
  }
  return null;
}

/** Any order that honours `after`: the worker may run a phase's steps in any order. */
function shuffledRunOrder(steps: TPlannedStep[], random: () => number): TPlannedStep[] {
  const done = new Set<string>();
  const left = [...steps];
  const order: TPlannedStep[] = [];
  while (left.length > 0) {
    const ready = left.filter((st) => st.after.every((a) => done.has(a)));
    if (ready.length === 0) throw new Error("the plan's edges form a cycle");
    const next = ready[Math.floor(random() * ready.length)]!;
    left.splice(left.indexOf(next), 1);
    order.push(next);
    done.add(next.service);
  }
  return order;
}

describe("planBuild on random apps", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const names = ["a", "b", "c", "d", "e"];
  const exportNames = ["X", "Y", "Z", "V"];
  // Known values (JSON strings, and opaque texts as older states hold) and expressions only AWS knows.
  const VALUES = ['"v1"', '"v2"', "v1", ...Object.keys(REAL)];
  // A release AWS could hold: each export owned by one service, imports only of others' exports,
  // now and then a dependsOn on a service that is not there. Artifacts are content-addressed, as
  // real ones are, so equal services give `unchanged` steps.
  const release = (): TServiceMap => {
    const map: TServiceMap = {};
    for (const name of names) if (random() < 0.85) map[name] = svc("");
    const present = Object.keys(map);
    for (const e of exportNames) if (present.length > 0 && random() < 0.7) map[pick(present)]!.exports[e] = pick(VALUES);
    for (const s of present) {
      for (const e of exportNames) {
        const owner = present.find((p) => Object.hasOwn(map[p]!.exports, e));
        if (owner && owner !== s && random() < 0.3) map[s]!.imports.push(e);
      }
      if (random() < 0.3) map[s]!.dependsOn.push(pick(names.filter((p) => p !== s)));
      map[s]!.artifact = JSON.stringify(map[s]);
    }
    return map;
  };

  test("every plan it accepts runs on AWS in any order its edges allow", () => {
    let accepted = 0;
    let unchanged = 0;
    let warned = 0;
    let refusedAsWarned = 0;
    for (let round = 0; round < 3000; round++) {
      const live = release();
      const whole = release();
      const rollback = random() < 0.5;
      const target = rollback ? whole : Object.fromEntries(Object.entries(whole).filter(() => random() < 0.6));
      const result = planBuild({ kind: rollback ? "rollback" : "deploy", live, target });
      if (!result.ok) continue;
      accepted++;
      unchanged += result.plan.steps.filter((st) => st.action === "unchanged").length;
      const announced = result.plan.warnings.filter((w) => w.code === "export-value-may-change").flatMap((w) => w.exports ?? []);
      if (announced.length > 0) warned++;
      // A warning instead of a refusal only where a side of the change is unknown to Sprout.
      for (const name of announced) {
        const sides = [...Object.values(live), ...Object.values(target)].map((st) => st.exports[name]).filter((v) => v !== undefined);
        expect(
          sides.some((v) => !isKnownExportValue(v)),
          name,
        ).toBe(true);
      }
      for (let k = 0; k < 3; k++) {
        const refusal = runOnAws(live, target, shuffledRunOrder(result.plan.steps, random));
        if (refusal && announced.includes(refusal.exportName) && refusal.message.includes("in use by")) {
          refusedAsWarned++;
          continue;
        }
        expect(refusal, JSON.stringify({ live, target, rollback })).toBeNull();
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(unchanged).toBeGreaterThan(20);
    // Both outcomes of "AWS is the judge" occur: some warned changes pass, some are refused.
    expect(warned).toBeGreaterThan(20);
    expect(refusedAsWarned).toBeGreaterThan(0);
  });
});
