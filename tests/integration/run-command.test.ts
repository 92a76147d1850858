// Build commands as real processes: output streamed line by line, exit codes, a clean environment,
// and the time limit or a cancel killing the whole process group, grandchildren included.
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildEnvironment,
  describeFailure,
  runCommand,
  summarizeCommand,
  type TOutputLine,
  type TRunCommandOptions,
} from "@/lib/worker/run-command";
import { tempDir } from "../support/git-repo";

let dir: string;
const ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/nonexistent" };

beforeAll(async () => {
  dir = await tempDir("run-command");
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function run(command: string, over: Partial<TRunCommandOptions> = {}) {
  const lines: TOutputLine[] = [];
  const result = await runCommand({
    command,
    cwd: dir,
    env: ENV,
    timeoutMs: 20_000,
    killGraceMs: 500,
    onLine: (l) => lines.push(l),
    ...over,
  });
  const of = (stream: TOutputLine["stream"]) => lines.filter((l) => l.stream === stream).map((l) => l.text);
  return { result, lines, stdout: of("stdout"), stderr: of("stderr") };
}

/**
 * Gone, or a zombie nobody reaped yet: either way it runs no more. A killed process closes its
 * output a moment before the kernel marks it a zombie, and no event tells another process when it
 * does: look again for up to 2 s.
 */
async function isDead(pid: number): Promise<boolean> {
  for (const deadline = Date.now() + 2000; ;) {
    const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
    if (stat === null || stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function pidFrom(file: string): Promise<number> {
  return Number((await fs.readFile(path.join(dir, file), "utf8")).trim());
}

describe("output", () => {
  it("streams stdout and stderr line by line, each in order, with a last line that has no newline", async () => {
    const { result, stdout, stderr } = await run("for i in 1 2 3; do echo out$i; echo err$i >&2; done; printf 'no newline'");
    expect(stdout).toEqual(["out1", "out2", "out3", "no newline"]);
    expect(stderr).toEqual(["err1", "err2", "err3"]);
    expect(result).toMatchObject({ ok: true, exitCode: 0, signal: null, timedOut: false, aborted: false });
  });

  it("hands over each line while the command still runs", async () => {
    const go = path.join(dir, "go");
    const { stdout } = await run(`echo ready; while [ ! -f ${go} ]; do sleep 0.02; done; echo done`, {
      onLine: (l) => void (l.text === "ready" && fs.writeFile(go, "")),
    });
    expect(stdout).toEqual([]); // onLine was replaced: the lines went to the test's callback
    await expect(fs.stat(go)).resolves.toBeTruthy();
  });

  it("joins UTF-8 characters split across writes and drops \\r of \\r\\n", async () => {
    const { stdout } = await run("printf 'caf\\303'; sleep 0.05; printf '\\251\\r\\nsecond\\r\\n'");
    expect(stdout).toEqual(["café", "second"]);
  });

  it("keeps 20,000 lines in order and the last 20 as the tail", async () => {
    const { result, stdout } = await run("seq 1 20000");
    expect(stdout).toHaveLength(20000);
    expect(stdout.every((l, i) => l === String(i + 1))).toBe(true);
    expect(result.tail).toEqual(Array.from({ length: 20 }, (_, i) => String(19981 + i)));
  });

  it("cuts a huge line and says by how much, then goes on", async () => {
    const { stdout } = await run("head -c 5000000 /dev/zero | tr '\\0' x; echo; echo after", { maxLineLength: 1000 });
    expect(stdout).toEqual([`${"x".repeat(1000)} … [line cut: 4999000 more characters]`, "after"]);
  });

  it("runs in the given folder", async () => {
    await fs.mkdir(path.join(dir, "services/api"), { recursive: true });
    const { stdout } = await run("pwd", { cwd: path.join(dir, "services/api") });
    expect(stdout).toEqual([path.join(await fs.realpath(dir), "services/api")]);
  });
});

describe("exit", () => {
  it("gives the exit code and a step error with the last lines", async () => {
    const command = "echo building; echo 'Error: missing handler' >&2; exit 2";
    const { result } = await run(command);
    expect(result).toMatchObject({ ok: false, exitCode: 2, signal: null, timedOut: false, aborted: false });
    expect(describeFailure("npm run package", result)).toBe("`npm run package` exited with code 2:\nbuilding\nError: missing handler");
  });

  it("stops the command and rejects with the error when the line callback throws", async () => {
    const started = Date.now();
    await expect(
      run("echo one; sleep 1000", {
        onLine: () => {
          throw new Error("log store is down");
        },
      }),
    ).rejects.toThrow("log store is down");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("refuses a folder that does not exist", async () => {
    await expect(run("true", { cwd: path.join(dir, "nope") })).rejects.toThrow(
      `cannot run \`true\`: the folder ${path.join(dir, "nope")} does not exist`,
    );
  });
});

describe("environment", () => {
  it("gives exactly the build's variables: nothing of the worker's (DATABASE_URL, AWS_*) is visible", async () => {
    process.env.AWS_SECRET_ACCESS_KEY = "worker-secret";
    expect(process.env.DATABASE_URL).toMatch(/^postgres/);
    const env = buildEnvironment({
      app: "notes",
      stage: "prod",
      commit: "c".repeat(40),
      buildNumber: 4,
      variables: { TOPIC: "purchases" },
      home: path.join(dir, "home"),
    });
    const { stdout } = await run("env | sort", { env });
    delete process.env.AWS_SECRET_ACCESS_KEY;
    expect(stdout).toEqual(
      [
        `HOME=${path.join(dir, "home")}`,
        `PATH=${process.env.PATH}`,
        `PWD=${dir}`,
        "SPROUT_APP=notes",
        "SPROUT_BUILD_NUMBER=4",
        `SPROUT_COMMIT=${"c".repeat(40)}`,
        "SPROUT_STAGE=prod",
        "TOPIC=purchases",
      ].sort(),
    );
  });
});

describe("stopping", () => {
  const tree = (pidfile: string, then = "sleep 1000") => `sleep 1000 & echo $! > ${path.join(dir, pidfile)}; echo started; ${then}`;

  it("kills the command and its background grandchild at the time limit", async () => {
    const started = Date.now();
    const { result } = await run(tree("timeout.pid"), { timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, exitCode: null, signal: "SIGTERM", timedOut: true, aborted: false });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await isDead(await pidFrom("timeout.pid"))).toBe(true);
    expect(describeFailure("npm run package", result, 15 * 60_000)).toBe(
      "`npm run package` took longer than 15 min and was stopped:\nstarted",
    );
  });

  it("kills the command and its background grandchild on abort", async () => {
    const controller = new AbortController();
    const { result } = await run(tree("abort.pid"), {
      signal: controller.signal,
      onLine: (l) => l.text === "started" && controller.abort(),
    });
    expect(result).toMatchObject({ ok: false, exitCode: null, signal: "SIGTERM", timedOut: false, aborted: true });
    expect(await isDead(await pidFrom("abort.pid"))).toBe(true);
    expect(describeFailure("npm run package", result)).toBe("`npm run package` was canceled:\nstarted");
  });

  it("sends SIGKILL after the grace to what ignores SIGTERM", async () => {
    const { result } = await run(`trap '' TERM; ${tree("stubborn.pid")}`, { timeoutMs: 200, killGraceMs: 300 });
    expect(result).toMatchObject({ timedOut: true, signal: "SIGKILL" });
    expect(await isDead(await pidFrom("stubborn.pid"))).toBe(true);
    expect(describeFailure("./build.sh", { ...result, timedOut: false })).toBe("`./build.sh` was killed by SIGKILL:\nstarted");
  });

  it("kills what a finished command left running in the background", async () => {
    const { result } = await run(tree("leftover.pid", "echo done"));
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(await isDead(await pidFrom("leftover.pid"))).toBe(true);
  });

  it("does not wait beyond the grace for a process that left the group but holds the output open", async () => {
    const started = Date.now();
    const { result } = await run(`setsid sleep 1000 & echo $! > ${path.join(dir, "escaped.pid")}; echo done`, { killGraceMs: 300 });
    const escaped = await pidFrom("escaped.pid");
    try {
      expect(result).toMatchObject({ ok: true, exitCode: 0 });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      process.kill(escaped, "SIGKILL");
    }
  });

  it("runs nothing when already aborted", async () => {
    const marker = path.join(dir, "should-not-exist");
    const { result } = await run(`touch ${marker}`, { signal: AbortSignal.abort() });
    expect(result).toMatchObject({ ok: false, aborted: true, exitCode: null });
    await expect(fs.stat(marker)).rejects.toThrow();
  });
});

describe("summarizeCommand", () => {
  it.each([
    ["npm run package", "npm run package"],
    ["  npx serverless package --stage $SPROUT_STAGE  ", "npx serverless package --stage $SPROUT_STAGE"],
    ["set -e\nnpm ci\nnpm run build", "set -e..."],
    ["x".repeat(130), `${"x".repeat(117)}...`],
  ])("%j", (command, summary) => {
    expect(summarizeCommand(command)).toBe(summary);
  });
});
