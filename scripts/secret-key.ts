// The embedded default's secret key: generated once into the data folder (mode 600) and handed to
// the web server and the worker as SPROUT_SECRET_KEY. With a database of your own, set
// SPROUT_SECRET_KEY yourself (the same on every machine).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export function ensureSecretKeyFile(dataDir: string): string {
  const file = path.join(dataDir, "secret-key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** Replaces the data folder's key (a new file renamed over the old one, mode 600): after a rotation. */
export function replaceSecretKeyFile(dataDir: string, key: string): void {
  const file = path.join(dataDir, "secret-key");
  const next = `${file}.next`;
  fs.writeFileSync(next, key + "\n", { mode: 0o600 });
  fs.renameSync(next, file);
}

export const newSecretKey = () => crypto.randomBytes(32).toString("hex");
