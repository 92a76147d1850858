import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { seal, sealedWithCurrentKey, unseal } from "@/lib/server/crypto/secret-box";
import { secretKeyProblem } from "@/lib/server/crypto/key-check";

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
