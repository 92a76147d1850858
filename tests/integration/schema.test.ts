import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";

describe("schema constraints", () => {
  it("refuses a second active rollback in a stage, and a duplicate build number", async () => {
    const app = await db.app.create({ data: { name: "schema-app", stages: { create: [{ name: "prod" }] } }, include: { stages: true } });
    const stageId = app.stages[0]!.id;
    const base = { stageId, commitSha: "abc", commitMessage: "m", triggeredBy: "test", target: {} };
    await db.build.create({ data: { ...base, number: 1, kind: "rollback", rollbackOf: 1 } });
    await expect(db.build.create({ data: { ...base, number: 2, kind: "rollback", rollbackOf: 1 } })).rejects.toMatchObject({
      code: "P2002",
    });
    await expect(db.build.create({ data: { ...base, number: 1, kind: "deploy" } })).rejects.toMatchObject({ code: "P2002" });
    await db.build.create({ data: { ...base, number: 2, kind: "deploy" } });
    expect(await db.build.count({ where: { stageId } })).toBe(2);
  });
});
