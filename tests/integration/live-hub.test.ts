// The web process's one LISTEN connection (lib/server/live/hub.ts): a stream that could not start
// listening leaves nothing behind, so a later connection never calls into a closed stream.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { subscribeBuild, type TChange } from "@/lib/server/live/hub";
import { waitFor } from "../support/fixtures";

describe("the live hub", () => {
  it("drops a subscriber whose LISTEN could not be set up; the next connection tells only the live ones", async () => {
    const good = process.env.DATABASE_URL!;
    process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:1/unreachable";
    const stale: TChange[] = [];
    await expect(subscribeBuild(424242, (c) => stale.push(c))).rejects.toThrow();
    process.env.DATABASE_URL = good;

    const seen: TChange[] = [];
    const off = await subscribeBuild(424242, (c) => seen.push(c));
    await db.$executeRaw`SELECT pg_notify('sprout_events', 'b:7:424242')`;
    await waitFor("the notification", async () => seen.length === 1);
    expect(seen).toEqual([{ kind: "build", stageId: 7, buildId: 424242 }]);
    expect(stale).toEqual([]);
    off();
  });
});
