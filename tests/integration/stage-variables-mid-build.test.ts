// A secret set or replaced while a source build runs: its build commands get the variables the build
// read when it started, the same ones its step logs and errors are masked with, so a value changed
// in between never reaches a command, and none is written unmasked. One step at a time: the first
// package step waits on a FIFO that the test opens only after it changed the secrets.
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { setVariable } from "@/lib/server/operations/stage-variables";
import { ZVariablePut } from "@/lib/core/validation";
import { appRef, TEST_ACTOR } from "../support/context";
import { waitFor } from "../support/fixtures";
import { tempDir } from "../support/git-repo";
import { logText, waitForBuild, withWorker } from "../support/engine";
import { githubPush, postGithub, sourceApp, template, type TSourceApp } from "../support/source";

withWorker({ stepConcurrency: 1 });

const OLD = "old-Token-5b1e-Alpha";
const REPLACED = "replaced-Token-9c2d-Bravo";
const ADDED = "added-Token-3f4a-Charlie";

// gate's command blocks until the test writes to the FIFO; late's runs after it, prints and fails
const FILES = {
  "sprout.yml": `services:
  gate:
    path: services/gate
    build: read line < "$GATE"
    template: template.json
  late:
    path: services/late
    build: echo "using [$API_TOKEN] and [$ADDED_TOKEN]"; echo "could not log in with [$API_TOKEN] [$ADDED_TOKEN]" >&2; exit 3
    template: template.json
`,
  "services/gate/template.json": template({ version: "gate" }),
  "services/late/template.json": template({ version: "late" }),
};

let app: TSourceApp;
const set = async (name: string, value: string, secret: boolean) =>
  setVariable({ app: await appRef(app.name), stage: "dev", name, input: ZVariablePut.parse({ value, secret }), actor: TEST_ACTOR });

beforeAll(async () => {
  app = await sourceApp("env-mid-build", FILES);
});

describe("variables changed while a build runs", () => {
  it("a secret replaced or added after the build started reaches none of its commands and is never written unmasked", async () => {
    const fifo = path.join(await tempDir("gate"), "gate");
    execFileSync("mkfifo", [fifo]);
    await set("GATE", fifo, false);
    await set("API_TOKEN", OLD, true);

    expect((await postGithub(app, githubPush(app.first))).status).toBe(202);
    await waitFor("package:gate to run", async () => {
      const step = await db.step.findFirst({
        where: { key: "package:gate", build: { number: 1, stage: { name: "dev", app: { name: app.name } } } },
      });
      return step?.status === "running";
    });
    await set("API_TOKEN", REPLACED, true);
    await set("ADDED_TOKEN", ADDED, true);
    await fs.writeFile(fifo, "go\n"); // opens when gate's command reads: it then finishes

    const done = await waitForBuild(app.name, "dev", 1);
    expect(done.status).toBe("failed");
    const log = await logText(done.id);
    // the value of when the build started, masked; the secret added since is not given
    expect(log).toContain("late: using [****] and []");
    const late = done.steps.find((s) => s.key === "package:late")!;
    expect(late.error).toBe(
      '`echo "using [$API_TOKEN] and [$ADDED_TOKEN]"; echo "could not log in with [$API_TOKEN] [$ADDED_TOKEN]" >&2; exit 3` exited with code 3:\nusing [****] and []\ncould not log in with [****] []',
    );
    for (const value of [OLD, REPLACED, ADDED]) {
      expect(log).not.toContain(value);
      expect(done.error).not.toContain(value);
    }
  });
});
