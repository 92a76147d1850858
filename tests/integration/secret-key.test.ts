// Secrets at rest: sealing, rotation's previous key, the key check when a process starts (in this
// process, and as the worker's real entry point with a wrong key or none), the refusal of every
// operation that seals while no key is set, and the key file the embedded default generates.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { seal, sealedWithCurrentKey, unseal } from "@/lib/server/crypto/secret-box";
import { MISSING_KEY_WARNING, secretKeyProblem } from "@/lib/server/crypto/key-check";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { ensureSecretKeyFile, replaceSecretKeyFile } from "@/scripts/secret-key";
import { POST as appsPost } from "@/app/api/apps/route";
import { PUT as variablePut } from "@/app/api/apps/[app]/stages/[stage]/variables/[name]/route";
import { PUT as repositoryPut } from "@/app/api/apps/[app]/repository/route";
import { POST as rotatePost } from "@/app/api/apps/[app]/repository/secret/route";
import { POST as notificationPost } from "@/app/api/apps/[app]/stages/[stage]/notifications/route";
import { call } from "../support/auth";
import { tempDir } from "../support/git-repo";

const KEY = process.env.SPROUT_SECRET_KEY!;
const OTHER = "a".repeat(64);

afterEach(() => {
  process.env.SPROUT_SECRET_KEY = KEY;
  delete process.env.SPROUT_SECRET_KEY_PREVIOUS;
});

describe("secrets at rest", () => {
  it("seals with AES-256-GCM: the stored text holds no plaintext, opens only with its key, and an altered value is refused", () => {
    const sealed = seal("whsec_hunter2");
    expect(sealed).not.toContain("hunter2");
    expect(seal("whsec_hunter2")).not.toBe(sealed); // a fresh IV every time
    expect(unseal(sealed)).toBe("whsec_hunter2");
    const parts = sealed.split(":");
    parts[4] = Buffer.from("tampered").toString("base64");
    expect(() => unseal(parts.join(":"))).toThrow("A sealed secret does not open with its key: it was altered.");
    process.env.SPROUT_SECRET_KEY = OTHER;
    expect(() => unseal(sealed)).toThrow(/sealed with another key \(fingerprint [0-9a-f]{8}\) than SPROUT_SECRET_KEY/);
  });

  it("during a rotation the previous key still opens old values, and they can be told apart", () => {
    const old = seal("value");
    process.env.SPROUT_SECRET_KEY_PREVIOUS = KEY;
    process.env.SPROUT_SECRET_KEY = OTHER;
    expect(unseal(old)).toBe("value");
    expect(sealedWithCurrentKey(old)).toBe(false);
    expect(sealedWithCurrentKey(seal("value"))).toBe(true);
  });

  it("says what is wrong with a missing or malformed key", () => {
    delete process.env.SPROUT_SECRET_KEY;
    expect(() => seal("x")).toThrow(/SPROUT_SECRET_KEY is not set/);
    process.env.SPROUT_SECRET_KEY = "too-short";
    expect(() => seal("x")).toThrow(/SPROUT_SECRET_KEY must be 32 random bytes/);
  });

  it("at start: a database whose secrets were sealed with another key, or no key at all, is refused with the reason", async () => {
    expect(await secretKeyProblem()).toBeNull(); // first start with a key: records its check value
    expect(await secretKeyProblem()).toBeNull();
    process.env.SPROUT_SECRET_KEY = OTHER;
    expect(await secretKeyProblem()).toMatch(/sealed with another key/);
    delete process.env.SPROUT_SECRET_KEY;
    expect(await secretKeyProblem()).toBe(
      "SPROUT_SECRET_KEY is not set, but this database holds secrets sealed with a key: set SPROUT_SECRET_KEY to that key.",
    );
    await db.setting.deleteMany({ where: { key: "secret_key_check" } });
    expect(await secretKeyProblem()).toBeNull(); // nothing sealed yet: no key needed
  });
});

/** `npm run worker` as a child with `env` over this process's (undefined: unset): its exit code and what it printed. */
function runWorker(env: Record<string, string | undefined>, stopWhenReady = false) {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/worker/main.ts"], {
    env: Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
    if (stopWhenReady && stdout.includes("[worker] ready")) child.kill("SIGTERM");
  });
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("close", (code) => resolve({ code, stdout, stderr })),
  );
}
const lines = (text: string) => text.split("\n").filter((l) => l.trim());

describe("the key at a process's start", () => {
  it("the worker refuses to start with a key that does not open this database's secrets: exit 1, the reason on one line", async () => {
    expect(await secretKeyProblem()).toBeNull(); // the check value, sealed with the tests' key
    const { code, stdout, stderr } = await runWorker({ SPROUT_SECRET_KEY: OTHER });
    expect(code).toBe(1);
    expect(stdout).not.toContain("ready");
    expect(lines(stderr)).toEqual([
      expect.stringMatching(
        /^\[worker\] A secret was sealed with another key \(fingerprint [0-9a-f]{8}\) than SPROUT_SECRET_KEY: set the key it was sealed with, or it as SPROUT_SECRET_KEY_PREVIOUS while rotating\.$/,
      ),
    ]);
    const malformed = await runWorker({ SPROUT_SECRET_KEY: "not-a-key" });
    expect([malformed.code, lines(malformed.stderr)]).toEqual([
      1,
      [expect.stringMatching(/^\[worker\] SPROUT_SECRET_KEY must be 32 random bytes, as 64 hex digits or base64/)],
    ]);
  });

  it("without a key, on a database with nothing sealed, the worker starts and says once what is refused until one is set", async () => {
    await db.setting.deleteMany({ where: { key: "secret_key_check" } });
    const { stdout, stderr } = await runWorker({ SPROUT_SECRET_KEY: undefined }, true); // stopped by the test once ready
    expect(stdout).toContain("[worker] ready");
    expect(lines(stderr).filter((l) => l.includes("SPROUT_SECRET_KEY"))).toEqual([`[worker] warning: ${MISSING_KEY_WARNING}`]);
    expect(MISSING_KEY_WARNING).toMatch(/^SPROUT_SECRET_KEY is not set: .* Set it to 32 random bytes/);
  });
});

describe("without a key", () => {
  it("every operation that seals a secret answers 503 with what to set; the others work", async () => {
    const token = "bootstrap-token-for-the-secret-key-test-0123456789";
    await ensureBootstrapToken(token);
    await db.app.create({ data: { name: "keyless", repositoryUrl: "/tmp/none.git", stages: { create: [{ name: "dev" }] } } });
    delete process.env.SPROUT_SECRET_KEY;
    const stage = { app: "keyless", stage: "dev" };
    const refused = [
      await call(
        variablePut,
        "/api/apps/keyless/stages/dev/variables/DB_PASSWORD",
        { ...stage, name: "DB_PASSWORD" },
        {
          method: "PUT",
          token,
          body: { value: "hunter2-hunter2", secret: true },
        },
      ),
      await call(
        repositoryPut,
        "/api/apps/keyless/repository",
        { app: "keyless" },
        { method: "PUT", token, body: { url: "/tmp/other.git" } },
      ),
      await call(rotatePost, "/api/apps/keyless/repository/secret", { app: "keyless" }, { method: "POST", token }),
      await call(notificationPost, "/api/apps/keyless/stages/dev/notifications", stage, {
        token,
        body: { kind: "webhook", url: "https://93.184.216.34/hook" },
      }),
      await call(appsPost, "/api/apps", {}, { token, body: { name: "keyless-2", repository: { url: "/tmp/none.git" } } }),
    ];
    for (const r of refused) {
      expect([r.status, r.body.error?.code, r.body.error?.message]).toEqual([
        503,
        "unavailable",
        "SPROUT_SECRET_KEY is not set: Sprout needs it to keep webhook secrets, secret variables and notification secrets. Set it to 32 random bytes (`openssl rand -hex 32`), the same on every web and worker process, and restart them.",
      ]);
    }
    expect(await db.stageVariable.count()).toBe(0);
    expect(await db.notificationTarget.count()).toBe(0);
    expect(await db.app.count({ where: { name: "keyless-2" } })).toBe(0);
    expect((await db.app.findUniqueOrThrow({ where: { name: "keyless" } })).repositoryUrl).toBe("/tmp/none.git");
    // a plain variable needs no key
    const plain = await call(
      variablePut,
      "/api/apps/keyless/stages/dev/variables/API_URL",
      { ...stage, name: "API_URL" },
      {
        method: "PUT",
        token,
        body: { value: "https://api.example.com" },
      },
    );
    expect(plain.status).toBe(200);
  });
});

describe("the embedded default's key file", () => {
  it("is generated once, 32 random bytes readable by its owner only (mode 600), and stays so when replaced", async () => {
    const dir = path.join(await tempDir("key-file"), "data");
    const key = ensureSecretKeyFile(dir);
    const file = path.join(dir, "secret-key");
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureSecretKeyFile(dir)).toBe(key);
    replaceSecretKeyFile(dir, "b".repeat(64));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureSecretKeyFile(dir)).toBe("b".repeat(64));
  });
});
