// Real git repositories for tests and benchmarks: a bare "origin" in a temporary folder, and a
// working copy that commits and pushes to it, as a developer would.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export const AUTHOR = { name: "Ada Lovelace", email: "ada@example.com" };

/** Runs git in `cwd` with a fixed author and no user or system configuration. */
export async function runGit(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await exec(
    "git",
    ["-c", `user.name=${AUTHOR.name}`, "-c", `user.email=${AUTHOR.email}`, "-c", "init.defaultBranch=main", ...args],
    {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0", ...env },
    },
  );
  return stdout;
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `sprout-${prefix}-`));
}

/** Files to write (text, or { text, mode } for an executable; a { link } is a symbolic link) or delete (null). */
export type TFiles = Record<string, string | { text: string; mode: number } | { link: string } | null>;

export interface TOrigin {
  /** The bare repository. */
  bare: string;
  /** file:// URL of the bare repository. */
  url: string;
  work: string;
  /** Writes `files` in the working copy, commits them on `branch` (default main), pushes; gives the new sha. */
  commit(files: TFiles, message: string, branch?: string): Promise<string>;
  /** git in the working copy. */
  git(args: string[]): Promise<string>;
  /** git in the bare repository (what a server-side change would be). */
  gitBare(args: string[]): Promise<string>;
}

export async function writeFiles(root: string, files: TFiles): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    if (content === null) {
      await fs.rm(file, { force: true });
      continue;
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    if (typeof content === "string") await fs.writeFile(file, content);
    else if ("link" in content) await fs.symlink(content.link, file);
    else await fs.writeFile(file, content.text, { mode: content.mode });
  }
}

/** An empty bare origin under `root` and a working copy of it. */
export async function createOrigin(root: string): Promise<TOrigin> {
  const bare = path.join(root, "origin.git");
  const work = path.join(root, "work");
  await runGit(root, ["init", "--quiet", "--bare", bare]);
  await runGit(root, ["init", "--quiet", work]);
  await runGit(work, ["remote", "add", "origin", bare]);
  const origin: TOrigin = {
    bare,
    url: `file://${bare}`,
    work,
    git: (args) => runGit(work, args),
    gitBare: (args) => runGit(bare, args),
    async commit(files, message, branch = "main") {
      const current = (await runGit(work, ["symbolic-ref", "--short", "HEAD"])).trim();
      if (current !== branch) {
        const exists = await runGit(work, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]).then(
          () => true,
          () => false,
        );
        await runGit(work, exists ? ["checkout", "--quiet", branch] : ["checkout", "--quiet", "-b", branch]);
      }
      await writeFiles(work, files);
      await runGit(work, ["add", "--all"]);
      await runGit(work, ["commit", "--quiet", "--allow-empty", "-m", message]);
      await runGit(work, ["push", "--quiet", "origin", `HEAD:refs/heads/${branch}`]);
      return (await runGit(work, ["rev-parse", "HEAD"])).trim();
    },
  };
  return origin;
}
