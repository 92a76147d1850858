// `npm run worker`: one worker process. Run as many as you like against one database.
import { secretKeyProblem } from "@/lib/server/crypto/key-check";
import { startWorker } from "./start-worker";

const keyProblem = await secretKeyProblem();
if (keyProblem) {
  console.error(`[worker] ${keyProblem}`);
  process.exit(1);
}

const worker = await startWorker();
console.log(`[worker] ready (${worker.id})`);
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log("[worker] stopping: running steps finish, their builds resume on another worker");
    await worker.stop();
    process.exit(0);
  });
}
