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
