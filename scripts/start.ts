// `npm start`: everything a newcomer needs in one command. With no DATABASE_URL it runs an embedded
// PostgreSQL under .data/; it applies the migrations, loads the demo once, builds the app if needed,
// then runs the web server and the worker, restarting whichever stops (PostgreSQL too), until
// Ctrl-C or SIGTERM: the worker stops first (its running steps finish), then the web server, then
// PostgreSQL.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { migrate } from "./migrate";
import { ensureSecretKeyFile } from "./secret-key";
import { onShutdownSignals, startChild } from "./children";
import { stopInOrder, supervise, type TSupervised } from "./supervisor";

const port = Number(process.env.PORT ?? 3000);
/** the worker's own bound on finishing its running steps is 30 s */
const WORKER_GRACE_MS = 45_000;
const WEB_GRACE_MS = 10_000;
const services: { worker?: TSupervised; web?: TSupervised; postgres?: TSupervised } = {};
let stopping = false;

const say = (line: string) => console.log(`[sprout] ${line}`);

async function shutdown(code: number) {
  if (stopping) {
    say(
      `still stopping: the worker first finishes its running steps (at most ${WORKER_GRACE_MS / 1000} s), then the web server and PostgreSQL stop.`,
    );
    return;
  }
  stopping = true;
  say("stopping…");
  const { worker, web, postgres } = services;
  await stopInOrder(
    [worker, web, postgres].filter((s) => s !== undefined),
    say,
  );
  say("stopped.");
  process.exit(code);
}

onShutdownSignals(() => void shutdown(0));

async function main() {
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    say("no DATABASE_URL: starting the embedded PostgreSQL under .data/ …");
    services.postgres = await supervise({
      name: "PostgreSQL",
      log: say,
      start: async () => {
        const server = await startEmbeddedPostgres({ dataDir: ".data", database: "sprout", log: say });
        databaseUrl = server.url;
        return server;
      },
    });
    say(`PostgreSQL ready at ${databaseUrl!.replace(/:[^:@/]+@/, ":***@")}`);
    process.env.SPROUT_SECRET_KEY ??= ensureSecretKeyFile(".data");
  }
  await migrate(databaseUrl!);
  say("database migrated.");
  process.env.DATABASE_URL = databaseUrl;
  const { secretKeyProblem } = await import("@/lib/server/crypto/key-check");
  const keyProblem = await secretKeyProblem();
  if (keyProblem) throw new Error(keyProblem);
  const env = { NEXT_TELEMETRY_DISABLED: "1", ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) };
  if (process.env.SPROUT_DEMO !== "0") {
    const { loadDemoOnce } = await import("@/prisma/demo"); // reads DATABASE_URL when loaded
    const loaded = await loadDemoOnce();
    if (loaded) {
      const { demoRepoPath } = await import("@/prisma/demo-repo");
      say(`demo data loaded: app \`notes\` with stages dev and prod, built from the git repository ${path.relative(".", demoRepoPath())}.`);
    }
  }
  const signIn = await prepareAccess();

  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) {
    say("building the web app (first start) …");
    await new Promise<void>((resolve, reject) => {
      const b = spawn(process.execPath, ["node_modules/next/dist/bin/next", "build"], { env, stdio: "inherit" });
      b.on("exit", (c) => (c === 0 ? resolve() : reject(new Error(`next build failed (${c})`))));
    });
  }
  if (stopping) return;
  services.web = await supervise({
    name: "web server",
    log: say,
    // Next inside Sprout's own node:http server, which tells the app each request's socket address;
    // two malloc arenas keep a process holding many event streams about 20 MB smaller (bench:live)
    start: () =>
      startChild({ args: ["--import", "tsx", "scripts/web-server.ts"], env: { MALLOC_ARENA_MAX: "2", ...env }, graceMs: WEB_GRACE_MS }),
  });
  services.worker = await supervise({
    name: "worker",
    log: say,
    start: () =>
      startChild({ args: ["--conditions=react-server", "--import", "tsx", "lib/worker/main.ts"], env, graceMs: WORKER_GRACE_MS }),
  });
  say(`Sprout is running at http://localhost:${port}  (Ctrl-C stops it)`);
  if (signIn) say(signIn);
}

/**
 * Accounts at start: the demo's admin (when the demo is on and nobody has an account yet), an
 * operator's password reset, the bootstrap token. Returns how to sign in, printed last so it is seen.
 */
async function prepareAccess(): Promise<string | null> {
  const { ensureDemoAdmin, hasUsers, resetPassword } = await import("@/lib/server/auth/users");
  const { ensureBootstrapToken } = await import("@/lib/server/auth/tokens");
  let signIn: string | null = null;
  if (process.env.SPROUT_DEMO !== "0") {
    const admin = await ensureDemoAdmin();
    // printed this once: only its hash is stored (SPROUT_RESET_PASSWORD gives a new one)
    if (admin) signIn = `sign in as ${admin.email} with password ${admin.password}  (shown once; Sprout keeps only its hash)`;
  }
  if (!(await hasUsers())) signIn = `no account yet: open http://localhost:${port}/setup to create the admin.`;
  const reset = process.env.SPROUT_RESET_PASSWORD;
  if (reset) signIn = `new password for ${reset}: ${await resetPassword(reset)}  (its sessions were ended)`;
  if (process.env.SPROUT_BOOTSTRAP_TOKEN) {
    const done = await ensureBootstrapToken(process.env.SPROUT_BOOTSTRAP_TOKEN);
    say(
      done === "created"
        ? "SPROUT_BOOTSTRAP_TOKEN: an instance-wide admin token with that value now works."
        : "SPROUT_BOOTSTRAP_TOKEN: in place.",
    );
  }
  return signIn;
}

main().catch(async (e) => {
  if (stopping) return;
  console.error(`[sprout] could not start: ${e instanceof Error ? e.message : e}`);
  await shutdown(1);
});
