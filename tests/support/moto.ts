// A local CloudFormation endpoint for the cloudformation driver's tests: moto in strict mode
// (../shared/tools/cfn-emulator), which refuses a wrong order as AWS does. SPROUT_CFN_ENDPOINT
// points at one already running. Without either, the tests FAIL saying so: never a silent skip.
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export interface TMoto {
  endpoint: string;
  /** clears every stack and export (POST /moto-api/reset) */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const HOW = "Install moto[server] for python3 (pip install 'moto[server]') or set SPROUT_CFN_ENDPOINT to a running one.";

async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The worker's AWS environment as the driver reads it, for moto: any credentials, and no profile that would win over them. */
export function useTestCredentials(): void {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  delete process.env.AWS_PROFILE;
  delete process.env.SPROUT_AWS_PROFILE;
}

/** The tests' own CloudFormation client, on moto: to look at what the driver did. */
export const cfnClient = (moto: TMoto, region = "us-east-1") =>
  new CloudFormationClient({ region, endpoint: moto.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });

export async function startMoto(): Promise<TMoto> {
  const given = process.env.SPROUT_CFN_ENDPOINT?.replace(/\/$/, "");
  let pid: number | null = null;
  let endpoint: string;
  if (given) {
    if (!(await answers(given))) throw new Error(`SPROUT_CFN_ENDPOINT=${given} does not answer as a moto server (GET /moto-api/).`);
    endpoint = given;
  } else {
    const script = path.resolve("../shared/tools/cfn-emulator/start-moto.sh");
    if (!fs.existsSync(script)) throw new Error(`No local CloudFormation endpoint: ${script} does not exist. ${HOW}`);
    const port = await freePort();
    const out = await new Promise<string>((resolve, reject) =>
      execFile(script, [String(port)], { timeout: 45_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`Could not start moto with ${script} ${port}: ${stderr.trim() || err.message}. ${HOW}`)) : resolve(stdout),
      ),
    );
    pid = Number(out.trim().split("\n").pop());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`start-moto.sh printed no PID (got "${out.trim()}").`);
    endpoint = `http://127.0.0.1:${port}`;
  }
  return {
    endpoint,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
      if (!res.ok) throw new Error(`moto reset answered HTTP ${res.status}`);
    },
    async stop() {
      if (pid === null || !alive(pid)) return;
      process.kill(pid, "SIGTERM");
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      if (alive(pid)) process.kill(pid, "SIGKILL");
    },
  };
}
