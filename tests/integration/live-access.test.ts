// An open live stream re-checks its reader's access while it runs: revoking the token it was opened
// with, or removing the member who opened it, closes it within seconds, even while events flow.
import { afterAll, describe, expect, it } from "vitest";
import { deploy } from "@/lib/server/operations/deploy";
import { createToken, revokeToken } from "@/lib/server/operations/tokens";
import { removeMember } from "@/lib/server/operations/members";
import { GET as buildEventsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/events/route";
import { GET as stageEventsGet } from "@/app/api/apps/[app]/stages/[stage]/events/route";
import { ZDeployBody, ZTokenCreate } from "@/lib/core/validation";
import { commit, service, waitFor } from "../support/fixtures";
import { createStage, waitForBuild, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import { signIn, userWithRole } from "../support/auth";
import { lineSeqs, openStream } from "../support/sse";

withWorker();

const BUILD_SECONDS = 20;
const builds: { app: string; number: number }[] = [];

/** An app with a long build that keeps writing: its streams stay open and busy unless access ends them. */
async function longBuild(app: string) {
  await createStage(app);
  const queued = await deploy({
    app: await appRef(app),
    stage: "prod",
    input: ZDeployBody.parse({
      commit: commit("long"),
      services: [1, 2, 3].map((i) => ({ name: `s${i}`, template: service({ seconds: BUILD_SECONDS, version: i }) })),
    }),
    actor: TEST_ACTOR,
  });
  builds.push({ app, number: queued.number });
  return queued.number;
}

afterAll(
  async () => {
    // the worker stops after this, with nothing left to hand back
    for (const b of builds) await waitForBuild(b.app, "prod", b.number, (BUILD_SECONDS + 10) * 1000);
  },
  (BUILD_SECONDS + 15) * 1000,
);

const buildStream = (app: string, number: number, headers: Record<string, string>) =>
  openStream(
    buildEventsGet,
    `/api/apps/${app}/stages/prod/builds/${number}/events`,
    { app, stage: "prod", number: String(number) },
    headers,
  );
const stageStream = (app: string, headers: Record<string, string>) =>
  openStream(stageEventsGet, `/api/apps/${app}/stages/prod/events`, { app, stage: "prod" }, headers);

/** How long after `cut` the server closed the stream (Infinity: not within 10 s); the build has not ended meanwhile. */
async function closesWithin(stream: Awaited<ReturnType<typeof buildStream>>, cut: () => Promise<unknown>) {
  await cut();
  const at = Date.now();
  await Promise.race([stream.done, new Promise((r) => setTimeout(r, 10_000))]);
  const closedAt = stream.closedAt();
  stream.close();
  expect(stream.events.map((e) => e.event)).not.toContain("end");
  return closedAt === null ? Infinity : closedAt - at;
}

describe("an open stream", () => {
  it("closes within seconds once the token it was opened with is revoked", async () => {
    const number = await longBuild("revoked-token");
    const app = await appRef("revoked-token");
    const { token, value } = await createToken({ app, input: ZTokenCreate.parse({ name: "watcher", role: "viewer" }), actor: TEST_ACTOR });
    const build = await buildStream(app.name, number, { authorization: `Bearer ${value}` });
    const stage = await stageStream(app.name, { authorization: `Bearer ${value}` });
    expect(build.res.status).toBe(200);
    await waitFor("the build stream to deliver", async () => build.events.some((e) => e.event === "build"));
    const [b, s] = await Promise.all([
      closesWithin(build, () => revokeToken({ app, id: String(token.id), actor: TEST_ACTOR })),
      closesWithin(stage, async () => {}),
    ]);
    expect(b).toBeLessThan(5_000);
    expect(s).toBeLessThan(5_000);
  }, 30_000);

  it("closes within seconds once the member who opened it is removed from the app", async () => {
    const number = await longBuild("removed-member");
    const app = await appRef("removed-member");
    const user = await userWithRole("watcher@example.com", app.name, "viewer");
    const { cookie } = await signIn("watcher@example.com");
    const build = await buildStream(app.name, number, { cookie });
    expect(build.res.status).toBe(200);
    await waitFor("log lines to flow", async () => lineSeqs(build.events).length > 0);
    const closed = await closesWithin(build, () => removeMember({ app, userId: user.id, actor: TEST_ACTOR }));
    expect(closed).toBeLessThan(5_000);
    // and opening it again is refused as for an app that does not exist
    expect((await buildStream(app.name, number, { cookie })).res.status).toBe(404);
  }, 30_000);
});
