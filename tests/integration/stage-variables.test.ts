// Stage variables and secrets through the real routes: set with an admin's token, given to a build
// command of a real git repository, masked in the log, the step's error and a notification's text,
// absent from every answer and audit entry, sealed in the database; {{secret:NAME}} in parameters is
// resolved when a step deploys, with the variables of the stage the build runs in.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { createToken } from "@/lib/server/operations/tokens";
import { setStageParameters } from "@/lib/server/operations/stage-parameters";
import { rollback } from "@/lib/server/operations/rollback";
import { stageMasker } from "@/lib/server/data/stage-variables";
import { ZTokenCreate } from "@/lib/core/validation";
import { GET as variablesGet } from "@/app/api/apps/[app]/stages/[stage]/variables/route";
import { DELETE as variableDelete, PUT as variablePut } from "@/app/api/apps/[app]/stages/[stage]/variables/[name]/route";
import { GET as auditGet } from "@/app/api/apps/[app]/audit/route";
import { GET as buildGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/route";
import { GET as logsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/logs/route";
import { GET as eventsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/events/route";
import { GET as buildsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/route";
import { GET as stageGet } from "@/app/api/apps/[app]/stages/[stage]/route";
import { GET as appGet } from "@/app/api/apps/[app]/route";
import { call } from "../support/auth";
import { appRef, TEST_ACTOR } from "../support/context";
import { logText, waitForBuild, withWorker } from "../support/engine";
import { githubPush, postGithub, sourceApp, template, type TSourceApp } from "../support/source";
import { openStream } from "../support/sse";

withWorker();

const SECRET = "hunter2-Correct-Horse-7f3a";
const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

// producer's command shows that it got the secret (its hash) and prints it (masked); consumer's fails printing it
const FILES = {
  "sprout.yml": `services:
  producer:
    path: services/producer
    build: ./build.sh
    template: .sprout/template.json
  consumer:
    path: services/consumer
    build: echo "connecting to $API_URL with $DB_PASSWORD" >&2; exit 3
    template: template.json
`,
  "services/producer/build.sh": {
    text: `#!/bin/sh
set -e
printf 'digest of the value: '; printf %s "$DB_PASSWORD" | sha256sum | cut -d' ' -f1
echo "password=$DB_PASSWORD inside:[$DB_PASSWORD] url=$API_URL"
mkdir -p .sprout && cp template.src.json .sprout/template.json
`,
    mode: 0o755,
  },
  "services/producer/template.src.json": template({ exports: true }),
  "services/consumer/template.json": template({ imports: true }),
};

let app: TSourceApp;
let admin = "";
let viewer = "";
const url = (name?: string) => `/api/apps/env-vars/stages/dev/variables${name ? `/${name}` : ""}`;
const put = (name: string, body: unknown, token = admin) =>
  call(variablePut, url(name), { app: "env-vars", stage: "dev", name }, { method: "PUT", token, body });
const list = (token = admin) => call(variablesGet, url(), { app: "env-vars", stage: "dev" }, { token });

beforeAll(async () => {
  app = await sourceApp("env-vars", FILES);
  const ref = await appRef("env-vars");
  admin = (await createToken({ app: ref, input: ZTokenCreate.parse({ name: "admin", role: "admin" }), actor: TEST_ACTOR })).value;
  viewer = (await createToken({ app: ref, input: ZTokenCreate.parse({ name: "viewer", role: "viewer" }), actor: TEST_ACTOR })).value;
});

describe("stage variables and secrets", () => {
  it("an admin sets them; a secret's value is never answered, audited by name only, and sealed in the database", async () => {
    const set = await put("DB_PASSWORD", { value: SECRET, secret: true });
    expect(set.status).toBe(200);
    expect(set.body.variable).toMatchObject({ name: "DB_PASSWORD", secret: true, updatedBy: "token:admin" });
    expect(set.body.variable).not.toHaveProperty("value");
    expect((await put("API_URL", { value: "https://api.example.com" })).body.variable).toMatchObject({
      name: "API_URL",
      secret: false,
      value: "https://api.example.com",
    });
    // replacing a secret without saying `secret` keeps it one
    expect((await put("DB_PASSWORD", { value: SECRET })).body.variable.secret).toBe(true);

    for (const token of [admin, viewer]) {
      const { status, body } = await list(token);
      expect(status).toBe(200);
      expect(body.variables.map((v: { name: string; secret: boolean; value?: string }) => [v.name, v.secret, v.value])).toEqual([
        ["API_URL", false, "https://api.example.com"],
        ["DB_PASSWORD", true, undefined],
      ]);
      expect(JSON.stringify(body)).not.toContain(SECRET);
    }
    const audit = await call(auditGet, "/api/apps/env-vars/audit", { app: "env-vars" }, { token: admin });
    const entries = audit.body.events.filter((e: { action: string }) => e.action === "variable.set");
    expect(entries.map((e: { target: string; detail: { secret: boolean } }) => [e.target, e.detail.secret])).toEqual([
      ["dev DB_PASSWORD", true],
      ["dev API_URL", false],
      ["dev DB_PASSWORD", true],
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(SECRET);

    // the column's bytes: a sealed value (v1:<key fingerprint>:<iv>:<tag>:<body>), no plaintext
    const [row] = await db.$queryRaw<{ value: Uint8Array }[]>`
      SELECT convert_to(value, 'UTF8') AS value FROM stage_variables WHERE name = 'DB_PASSWORD'`;
    const bytes = Buffer.from(row!.value);
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.toString("utf8")).toMatch(/^v1:[0-9a-f]{8}:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    const [plain] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM stage_variables WHERE value LIKE ${`%${SECRET}%`}`;
    expect(plain!.n).toBe(0n);
  });

  it("refuses bad names and values with the reason, and anyone but an admin", async () => {
    expect((await put("api_url", { value: "x" })).body.error?.message).toBe(
      'name: variable name "api_url" must be upper-case letters, digits and _, not starting with a digit (at most 128 characters), e.g. API_URL.',
    );
    expect((await put("SPROUT_TOKEN", { value: "x" })).body.error?.message).toBe(
      "name: variable name SPROUT_TOKEN is reserved: Sprout sets SPROUT_* variables for every build; pick another name.",
    );
    expect((await put("PATH", { value: "/tmp" })).status).toBe(400);
    expect((await put("BIG", { value: "x".repeat(32 * 1024 + 1) })).body.error?.message).toBe("value: must be at most 32 KB");
    expect((await put("PIN", { value: "123", secret: true })).body.error?.message).toMatch(
      /^value: a secret must be at least 4 characters: a shorter one would hide ordinary text/,
    );
    const refused = await put("OTHER", { value: "x" }, viewer);
    expect([refused.status, refused.body.error?.message]).toEqual([
      403,
      "Your role on env-vars is viewer; changing stage variables needs admin.",
    ]);
    const gone = await call(
      variableDelete,
      url("NOPE"),
      { app: "env-vars", stage: "dev", name: "NOPE" },
      { method: "DELETE", token: admin },
    );
    expect([gone.status, gone.body.error?.message]).toEqual([404, "Stage dev of env-vars has no variable NOPE."]);
  });

  it("a build command gets them as environment variables; the secret is masked in its log, its step error and a notification", async () => {
    expect((await postGithub(app, githubPush(app.first))).status).toBe(202);
    const done = await waitForBuild("env-vars", "dev", 1);
    expect(done.status).toBe("failed");
    const log = await logText(done.id);
    expect(log).toContain(`package:producer: digest of the value: ${sha256(SECRET)}`);
    expect(log).toContain("package:producer: password=**** inside:[****] url=https://api.example.com");
    const consumer = done.steps.find((s) => s.key === "package:consumer")!;
    expect(consumer.error).toBe(
      '`echo "connecting to $API_URL with $DB_PASSWORD" >&2; exit 3` exited with code 3:\nconnecting to https://api.example.com with ****',
    );
    expect(done.error).toContain("with ****");

    // what the API answers of the app, the stage, its builds, this build, its log and its live stream
    const params = { app: "env-vars", stage: "dev", number: "1" };
    const answers = [
      await call(appGet, "/api/apps/env-vars", { app: "env-vars" }, { token: admin }),
      await call(stageGet, "/api/apps/env-vars/stages/dev", { app: "env-vars", stage: "dev" }, { token: admin }),
      await call(buildsGet, "/api/apps/env-vars/stages/dev/builds", { app: "env-vars", stage: "dev" }, { token: admin }),
      await call(buildGet, "/api/apps/env-vars/stages/dev/builds/1", params, { token: admin }),
      await call(logsGet, "/api/apps/env-vars/stages/dev/builds/1/logs", params, { token: admin }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[2]!.body.builds.map((b: { number: number }) => b.number)).toEqual([1]);
    for (const a of answers) expect(JSON.stringify(a.body)).not.toContain(SECRET);
    const stream = await openStream(eventsGet, "/api/apps/env-vars/stages/dev/builds/1/events", params, {
      authorization: `Bearer ${admin}`,
    });
    await stream.done; // the build has ended: its stream replays it, says `end` and closes
    expect(stream.events.map((e) => e.event)).toContain("end");
    expect(stream.events.flatMap((e) => e.data.lines ?? []).some((l) => l.text.includes("password=****"))).toBe(true);
    expect(JSON.stringify(stream.events)).not.toContain(SECRET);
    // nowhere in what the database keeps of builds, logs, artifacts, stacks or the audit
    const [leaks] = await db.$queryRaw<{ n: bigint }[]>`
      SELECT (SELECT count(*) FROM log_lines WHERE text LIKE ${`%${SECRET}%`})
           + (SELECT count(*) FROM steps WHERE error LIKE ${`%${SECRET}%`})
           + (SELECT count(*) FROM builds WHERE error LIKE ${`%${SECRET}%`} OR source::text LIKE ${`%${SECRET}%`})
           + (SELECT count(*) FROM artifacts WHERE template LIKE ${`%${SECRET}%`} OR parameters::text LIKE ${`%${SECRET}%`})
           + (SELECT count(*) FROM audit_events WHERE detail::text LIKE ${`%${SECRET}%`}) AS n`;
    expect(leaks!.n).toBe(0n);

    // the masking function notifications use on their text
    const stage = await db.stage.findFirstOrThrow({ where: { name: "dev", app: { name: "env-vars" } } });
    const mask = await stageMasker(stage.id);
    expect(mask(`Build #1 of dev failed: could not log in with ${SECRET}@db (retry ${SECRET})`)).toBe(
      "Build #1 of dev failed: could not log in with ****@db (retry ****)",
    );
  });

  it("parameters resolve {{secret:NAME}} when a step deploys: a rollback takes the stage's values of now; artifacts keep the reference", async () => {
    const ref = await appRef("env-vars");
    const files = { "services/consumer/template.json": paramTemplate("v1") };
    const next = await app.origin.commit(
      { ...files, "sprout.yml": FILES["sprout.yml"].replace(/ {4}build: echo.*\n/, "") },
      "consumer builds",
    );
    await setStageParameters({
      app: ref,
      stage: "dev",
      service: "consumer",
      values: { Url: "{{secret:API_URL}}/v1", Password: "{{secret:DB_PASSWORD}}" },
      actor: TEST_ACTOR,
    });
    await postGithub(app, githubPush(next));
    const first = await waitForBuild("env-vars", "dev", 2);
    expect(first.status, first.error ?? "").toBe("success");
    const stage = await db.stage.findFirstOrThrow({ where: { name: "dev", app: { name: "env-vars" } } });
    const stack = () => db.sandboxStack.findUniqueOrThrow({ where: { stageId_name: { stageId: stage.id, name: "consumer-dev" } } });
    // a plain variable's value reaches the sandbox; a secret stays its reference in Sprout's own database
    expect((await stack()).parameters).toEqual({ Url: "https://api.example.com/v1", Password: "{{secret:DB_PASSWORD}}" });
    const artifact = await db.artifact.findUniqueOrThrow({
      where: { digest: first.steps.find((s) => s.key === "consumer")!.artifactDigest! },
    });
    expect(artifact.parameters).toEqual({ Url: "{{secret:API_URL}}/v1", Password: "{{secret:DB_PASSWORD}}" });

    const v2 = await app.origin.commit({ "services/consumer/template.json": paramTemplate("v2") }, "consumer v2");
    await postGithub(app, githubPush(v2));
    expect((await waitForBuild("env-vars", "dev", 3)).status).toBe("success");
    await put("API_URL", { value: "https://api-2.example.com" });
    const back = await rollback({ app: ref, stage: "dev", number: 2, actor: TEST_ACTOR });
    const done = await waitForBuild("env-vars", "dev", back.build.number);
    expect(done.status, done.error ?? "").toBe("success");
    expect((await stack()).parameters).toEqual({ Url: "https://api-2.example.com/v1", Password: "{{secret:DB_PASSWORD}}" });

    // a variable the stage lacks fails the step, naming it
    await call(variableDelete, url("API_URL"), { app: "env-vars", stage: "dev", name: "API_URL" }, { method: "DELETE", token: admin });
    const again = await rollback({ app: ref, stage: "dev", number: 3, actor: TEST_ACTOR });
    const failed = await waitForBuild("env-vars", "dev", again.build.number);
    expect(failed.status).toBe("failed");
    expect(failed.steps.find((s) => s.key === "consumer")!.error).toBe(
      "Parameter Url references {{secret:API_URL}}, but stage dev has no variable API_URL: add it in the stage's settings (Variables), or change the parameter.",
    );
  });
});

function paramTemplate(version: string) {
  const t = JSON.parse(template({ imports: true, version })) as Record<string, unknown>;
  return JSON.stringify({ ...t, Parameters: { Url: { Type: "String" }, Password: { Type: "String", NoEcho: true, MinLength: 12 } } });
}
