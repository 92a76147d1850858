import { describe, expect, it } from "vitest";
import { rollbackEligibility, sameRelease, type TRollbackCandidate } from "./rollback";

const live = { "billing-api": "sha256:b2", "notify-job": "sha256:n2" };
const older = { "billing-api": "sha256:b1", "notify-job": "sha256:n1" };
const stored = new Set(["sha256:b1", "sha256:n1", "sha256:b2", "sha256:n2"]);
const build = (over: Partial<TRollbackCandidate>): TRollbackCandidate => ({
  number: 7,
  stageId: 1,
  status: "success",
  release: older,
  ...over,
});

describe("rollbackEligibility", () => {
  it.each<[string, Partial<TRollbackCandidate>, ReadonlySet<string>, ReturnType<typeof rollbackEligibility>]>([
    ["an older successful build", {}, stored, { eligible: true }],
    ["a newer successful build (rolling forward after a rollback)", { number: 12 }, stored, { eligible: true }],
    [
      "a build of another stage",
      { stageId: 2 },
      stored,
      { eligible: false, code: "other-stage", reason: "Build #7 belongs to another stage; roll back within the build's own stage." },
    ],
    [
      "a failed build",
      { status: "failed" },
      stored,
      { eligible: false, code: "not-successful", reason: "Build #7 failed; only a successful build can be rolled back to." },
    ],
    [
      "a canceled build",
      { status: "canceled" },
      stored,
      { eligible: false, code: "not-successful", reason: "Build #7 was canceled; only a successful build can be rolled back to." },
    ],
    [
      "a running build",
      { status: "running", release: null },
      stored,
      { eligible: false, code: "not-successful", reason: "Build #7 is still running; only a successful build can be rolled back to." },
    ],
    [
      "a build with no release",
      { release: null },
      stored,
      { eligible: false, code: "no-release", reason: "Build #7 recorded no release to restore." },
    ],
    [
      "the release that is live",
      { release: { ...live } },
      stored,
      { eligible: false, code: "already-live", reason: "Build #7's release is what is live now; there is nothing to roll back." },
    ],
    [
      "a build whose artifacts are gone",
      {},
      new Set(["sha256:b1"]),
      {
        eligible: false,
        code: "artifacts-missing",
        reason: "The artifacts of build #7 for notify-job are no longer stored; it cannot be restored.",
      },
    ],
  ])("%s", (_name, over, artifacts, expected) => {
    expect(rollbackEligibility(build(over), { id: 1, live }, artifacts)).toEqual(expected);
  });
});

describe("sameRelease", () => {
  it.each([
    [{ a: "1" }, { a: "1" }, true],
    [{ a: "1", b: "2" }, { b: "2", a: "1" }, true],
    [{ a: "1" }, { a: "2" }, false],
    [{ a: "1" }, { a: "1", b: "2" }, false],
    [{}, {}, true],
  ])("%j vs %j", (a, b, same) => expect(sameRelease(a, b)).toBe(same));
});
