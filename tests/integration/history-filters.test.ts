// The history's filters through GET …/builds: each filter alone and together, keyset paging within
// a filter, a bad value named, and text with LIKE's wildcards taken literally.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { GET as buildsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/route";
import { call } from "../support/auth";
import { createStage } from "../support/engine";

const TOKEN = "bootstrap-token-for-the-history-filters-test";

beforeAll(async () => {
  await ensureBootstrapToken(TOKEN);
  const stage = await createStage("hist");
  // 40 builds, one a day from 2026-01-01: every 4th failed, every 10th a rollback, authors alternate
  for (let n = 1; n <= 40; n++) {
    const build = await db.build.create({
      data: {
        stageId: stage.id,
        number: n,
        kind: n % 10 === 0 ? "rollback" : "deploy",
        status: n % 4 === 0 ? "failed" : "success",
        commitSha: `${n.toString(16).padStart(2, "0")}c0ffee${"0".repeat(32)}`,
        commitMessage: n === 7 ? "Give 50%_off at checkout" : `Change ${n}: tune the ${n % 2 ? "api" : "web"} handler`,
        commitAuthor: n % 2 ? "Ada <ada@example.com>" : "Jay <jay@example.com>",
        triggeredBy: n % 3 ? "token:ci-deploy" : "user:lin@example.com",
        target: {},
        createdAt: new Date(Date.UTC(2026, 0, n, 12)),
      },
    });
    await db.step.create({
      data: {
        buildId: build.id,
        key: n % 5 ? "api" : "billing",
        service: n % 5 ? "api" : "billing",
        action: "update",
        phase: 1,
        position: 0,
        after: [],
      },
    });
  }
});

async function numbers(qs: string, limit = 100) {
  const res = await call(
    buildsGet,
    `/api/apps/hist/stages/prod/builds?limit=${limit}&${qs}`,
    { app: "hist", stage: "prod" },
    { token: TOKEN },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { numbers: (res.body.builds as { number: number }[]).map((b) => b.number), next: res.body.nextBefore as number | null };
}

describe("GET …/builds with filters", () => {
  it.each([
    ["status=failed", [40, 36, 32, 28, 24, 20, 16, 12, 8, 4]],
    ["kind=rollback", [40, 30, 20, 10]],
    ["status=failed&kind=rollback", [40, 20]],
    ["status=failed,canceled&kind=deploy&author=jay", [36, 32, 28, 24, 16, 12, 8, 4]],
    ["author=lin@", [39, 36, 33, 30, 27, 24, 21, 18, 15, 12, 9, 6, 3]],
    ["author=ADA&q=web", []],
    ["q=WEB%20handler&from=2026-01-30", [40, 38, 36, 34, 32, 30]],
    ["q=0BC0ff", [11]],
    ["q=c0ffee", []],
    ["q=50%25_off", [7]],
    ["q=5%25o", []],
    ["service=billing", [40, 35, 30, 25, 20, 15, 10, 5]],
    ["from=2026-01-03&to=2026-01-05", [5, 4, 3]],
    ["to=2026-01-02T00:00:00Z", [1]],
  ])("%s", async (qs, expected) => {
    expect((await numbers(qs)).numbers).toEqual(expected);
  });

  it("pages by keyset within a filter", async () => {
    const first = await numbers("status=success&service=api", 5);
    expect(first).toEqual({ numbers: [39, 38, 37, 34, 33], next: 33 });
    const second = await numbers(`status=success&service=api&before=${first.next}`, 5);
    expect(second).toEqual({ numbers: [31, 29, 27, 26, 23], next: 23 });
  });

  it("names a bad filter", async () => {
    const res = await call(buildsGet, "/api/apps/hist/stages/prod/builds?status=done", { app: "hist", stage: "prod" }, { token: TOKEN });
    expect([res.status, res.body.error?.message]).toEqual([
      400,
      'status: "done" is not a build status; use queued, running, success, failed, canceled, skipped, awaiting_approval, rejected (comma-separated)',
    ]);
  });
});
