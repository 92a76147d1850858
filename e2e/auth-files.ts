import fs from "node:fs";
import path from "node:path";

// Where an e2e run keeps its accounts: serve.ts writes the instance admin's credentials and the
// bootstrap token; global-setup.ts signs in and saves the session every spec starts with. serve.ts
// also writes where the run's SPROUT_DATA_DIR is (the demo's repository: specs commit in it).
export const AUTH_FILE = path.resolve(".data/e2e-auth.json");
export const STORAGE_STATE = path.resolve(".data/e2e-storage-state.json");
export const DATA_DIR_FILE = path.resolve(".data/e2e-data-dir");

/** The e2e server's SPROUT_DATA_DIR: its demo repository is `${dir}/repos/notes`. */
export function readE2eDataDir(): string {
  return fs.readFileSync(DATA_DIR_FILE, "utf8").trim();
}

export interface TE2eAuth {
  email: string;
  password: string;
  /** SPROUT_BOOTSTRAP_TOKEN of the server: an instance-wide admin API token */
  token: string;
  /** SPROUT_SECRET_KEY of the server */
  secretKey: string;
}

export function readE2eAuth(): TE2eAuth {
  return JSON.parse(fs.readFileSync(AUTH_FILE, "utf8")) as TE2eAuth;
}
