// `npm run worker`: one worker process. Run as many as you like against one database.
import { checkSecretKeyAtStart } from "@/lib/server/crypto/startup-check";
import { startWorker } from "./start-worker";

// graphile-worker 0.17 leaves some of its own promises unawaited (the call that records a job's
// end); one that rejects while the database is away must not kill the process and its builds.
process.on("unhandledRejection", (reason) => {
  console.error("[worker] unhandled rejection (logged; the worker keeps running):", reason);
});

await checkSecretKeyAtStart("[worker]");

const worker = await startWorker();
console.log(`[worker] ready (${worker.id})`);
// past the drain time, stopped steps get this long to record their end before the process exits anyway
const GRACE_MS = 10_000;
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    const seconds = Math.round(worker.drainMs / 1000);
    console.log(`[worker] stopping: running steps get ${seconds} s to finish, then their builds resume on another worker`);
    setTimeout(() => {
      console.error(`[worker] still stopping after ${seconds + GRACE_MS / 1000} s: exiting; its builds resume once their lease runs out`);
      process.exit(1);
    }, worker.drainMs + GRACE_MS).unref();
    await worker.stop();
    process.exit(0);
  });
}
