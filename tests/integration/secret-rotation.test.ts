// `npm run secrets:rotate`, run as a child process against this file's database: every sealed value
// (webhook secrets, secret variables, a notification target's secret, the key check) opens with the
// new key afterwards and the old key is no longer needed; a value sealed with an unknown key stops
// the rotation with nothing changed.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { seal, sealedWithCurrentKey, unseal } from "@/lib/server/crypto/secret-box";
import { secretKeyProblem } from "@/lib/server/crypto/key-check";
import { connectRepository } from "@/lib/server/operations/repository";
import { setVariable } from "@/lib/server/operations/stage-variables";
import { createNotification } from "@/lib/server/operations/notifications";
import { ZNotificationCreate } from "@/lib/core/validation";
import { appRef, TEST_ACTOR } from "../support/context";

const exec = promisify(execFile);
const OLD = process.env.SPROUT_SECRET_KEY!;
const NEW = crypto.randomBytes(32).toString("hex");

afterEach(() => {
  process.env.SPROUT_SECRET_KEY = OLD;
  delete process.env.SPROUT_SECRET_KEY_PREVIOUS;
});

async function rotate(env: Record<string, string>) {
  return exec(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/rotate-secrets.ts"], {
    env: { ...process.env, ...env },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

const sealedValues = async () =>
  (
    await db.$queryRaw<{ v: string }[]>`
    SELECT webhook_secret AS v FROM apps WHERE webhook_secret IS NOT NULL
    UNION ALL SELECT value FROM stage_variables WHERE secret
    UNION ALL SELECT value FROM settings WHERE key = 'secret_key_check'
    UNION ALL SELECT url FROM notification_targets
    UNION ALL SELECT secret FROM notification_targets WHERE secret IS NOT NULL`
  )
    .map((r) => r.v)
    .sort();

describe("secrets:rotate", () => {
  it("seals every secret again with SPROUT_SECRET_KEY; the previous key is then not needed", async () => {
    expect(await secretKeyProblem()).toBeNull(); // records the key check value
    await db.app.create({ data: { name: "rotate", stages: { create: [{ name: "dev" }] } } });
    const app = await appRef("rotate");
    const { webhookSecret } = await connectRepository({ app, url: "file:///tmp/rotate.git", actor: TEST_ACTOR });
    await setVariable({ app, stage: "dev", name: "DB_PASSWORD", input: { value: "pw-of-the-db", secret: true }, actor: TEST_ACTOR });
    await setVariable({ app, stage: "dev", name: "API_URL", input: { value: "https://api", secret: false }, actor: TEST_ACTOR });
    // a webhook notification: its URL (it may carry a token) and its signing key are sealed too
    const hook = await createNotification({
      app,
      stage: "dev",
      input: ZNotificationCreate.parse({ kind: "webhook", url: "http://127.0.0.1:9/hooks/T0KEN", events: "all" }),
      actor: TEST_ACTOR,
    });
    const before = await sealedValues();
    expect(before).toHaveLength(5);

    const run = await rotate({ SPROUT_SECRET_KEY: NEW, SPROUT_SECRET_KEY_PREVIOUS: OLD });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain(
      "sealed 5 values again with the new key (apps.webhook_secret: 1, stage_variables.value: 1, settings.value: 1, notification_targets.url: 1, notification_targets.secret: 1); 0 already were.",
    );
    expect(run.out).toContain("remove SPROUT_SECRET_KEY_PREVIOUS from every process and restart them");

    process.env.SPROUT_SECRET_KEY = NEW;
    const after = await sealedValues();
    expect(after.every((v) => sealedWithCurrentKey(v))).toBe(true);
    expect(after.map(unseal).sort()).toEqual(
      ["http://127.0.0.1:9/hooks/T0KEN", hook.secret!, "pw-of-the-db", "sprout-secret-key-check", webhookSecret].sort(),
    );
    expect(
      await db.stageVariable.findUniqueOrThrow({
        where: { stageId_name: { stageId: (await db.stage.findFirstOrThrow({ where: { appId: app.id } })).id, name: "API_URL" } },
      }),
    ).toMatchObject({ value: "https://api" });
    expect(await secretKeyProblem()).toBeNull();
    process.env.SPROUT_SECRET_KEY = OLD;
    expect(await secretKeyProblem()).toMatch(/sealed with another key/);

    // run again: nothing to do
    expect((await rotate({ SPROUT_SECRET_KEY: NEW, SPROUT_SECRET_KEY_PREVIOUS: OLD })).out).toContain(
      "sealed 0 values again with the new key; 5 already were.",
    );
  });

  it("stops with the reason and changes nothing when a value opens with neither key", async () => {
    const third = crypto.randomBytes(32).toString("hex");
    process.env.SPROUT_SECRET_KEY = third;
    await db.app.create({ data: { name: "rotate-stray", webhookSecret: seal("sealed-with-a-third-key") } });
    process.env.SPROUT_SECRET_KEY = NEW;
    const before = await sealedValues();
    const run = await rotate({ SPROUT_SECRET_KEY: crypto.randomBytes(32).toString("hex"), SPROUT_SECRET_KEY_PREVIOUS: NEW });
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/secrets:rotate failed, nothing was changed: A secret was sealed with another key \(fingerprint [0-9a-f]{8}\)/);
    expect(await sealedValues()).toEqual(before);
    expect((await rotate({ SPROUT_SECRET_KEY: NEW })).out).toContain("set SPROUT_SECRET_KEY to the new key and SPROUT_SECRET_KEY_PREVIOUS");
  });
});
