// Live progress: a page that follows a build gets a snapshot, then every log line and status change
// as it happens; when its stream drops and it reconnects with Last-Event-ID, it misses nothing and
// gets nothing twice.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { deploy } from "@/lib/server/operations/deploy";
import { followBuild } from "@/lib/server/live/build-feed";
import { sseResponse } from "@/lib/server/live/sse";
import { commit, service, waitFor } from "../support/fixtures";
import { createStage, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import { ZDeployBody } from "@/lib/core/validation";
import { lineSeqs, readEvents } from "../support/sse";

withWorker();

/** Opens a stream the way the events route does and collects its events until `stop` says so. */
function follow(buildId: number, lastSeq: number) {
  const abort = new AbortController();
  const res = sseResponse(abort.signal, (channel) => followBuild(buildId, lastSeq, channel));
  return { res, ...readEvents(res), close: () => abort.abort() };
}

describe("the build's live stream", () => {
  it("sends a snapshot, then changes as they happen; a reconnect with Last-Event-ID misses nothing", async () => {
    const stage = await createStage("live");
    const queued = await deploy({
      app: await appRef("live"),
      stage: "prod",
      input: ZDeployBody.parse({
        commit: commit("watched"),
        services: [
          { name: "first", template: service({ exports: ["First-${stage}"], seconds: 1.2 }) },
          { name: "second", template: service({ imports: ["First-${stage}"], seconds: 1.2 }) },
        ],
      }),
      actor: TEST_ACTOR,
    });
    const build = await db.build.findFirstOrThrow({ where: { stageId: stage.id, number: queued.number } });
    const probe = follow(build.id, 0);
    expect(probe.res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(probe.res.headers.get("cache-control")).toBe("no-cache, no-transform");
    probe.close();

    const a = follow(build.id, 0);
    await waitFor("a snapshot and some log lines", async () => a.events[0]?.event === "build" && lineSeqs(a.events).length >= 2);
    expect(a.pings()).toBeGreaterThanOrEqual(1); // sent at once: a page counts its stream as up only once it hears from it
    expect(a.events[0]!.data.build!.steps.map((s) => s.service)).toEqual(["first", "second"]);
    await waitFor("first to be seen running", async () =>
      a.events.some((e) => e.event === "build" && e.data.build!.steps[0]!.status === "running"),
    );
    a.close(); // the connection drops mid-build
    await a.done;
    const seen = lineSeqs(a.events);
    const lastId = [...a.events].reverse().find((e) => e.id !== undefined)!.id!;
    expect(lastId).toBe(seen.at(-1));

    await new Promise((r) => setTimeout(r, 800)); // lines are written while nobody listens
    const b = follow(build.id, lastId);
    await b.done; // the stream ends by itself once the build has ended and its log is sent
    expect(b.events.at(-1)!.event).toBe("end");
    const builds = b.events.filter((e) => e.event === "build");
    expect(builds.at(-1)!.data.build!.status).toBe("success");
    const all = await db.logLine.findMany({ where: { buildId: build.id }, orderBy: { seq: "asc" }, select: { seq: true } });
    expect([...seen, ...lineSeqs(b.events)]).toEqual(all.map((l) => l.seq)); // every line once, in order
    expect(lineSeqs(b.events)[0]).toBe(lastId + 1);
  });

  it("a stream opened on a finished build replays it and ends", async () => {
    const stage = await createStage("replay");
    const queued = await deploy({
      app: await appRef("replay"),
      stage: "prod",
      input: ZDeployBody.parse({ commit: commit("done"), services: [{ name: "only", template: service({ seconds: 0.1 }) }] }),
      actor: TEST_ACTOR,
    });
    await waitFor(
      "the build to end",
      async () => (await db.build.findFirst({ where: { stageId: stage.id, number: queued.number, status: "success" } })) ?? null,
    );
    const build = await db.build.findFirstOrThrow({ where: { stageId: stage.id, number: queued.number } });
    const s = follow(build.id, 0);
    await s.done;
    expect(s.events.map((e) => e.event)).toEqual(["build", "log", "end"]);
    expect(lineSeqs(s.events)).toEqual(Array.from({ length: build.logSeq }, (_, i) => i + 1));
  });
});
