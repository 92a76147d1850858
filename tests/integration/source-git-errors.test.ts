// How the mirror fails: a server that never answers, output over the cap, credentials in git's
// messages, and repositories that name no default branch or have no branch at all.
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitError, git, sanitizeGitOutput } from "@/lib/server/source/git";
import { openMirror } from "@/lib/server/source/mirror";
import { createOrigin, runGit, tempDir } from "../support/git-repo";

let root: string;
beforeAll(async () => {
  root = await tempDir("source-git-errors");
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as GitError,
  );

describe("git itself", () => {
  it("stops a fetch from a server that never answers, with the helper it started", async () => {
    const sockets: Socket[] = [];
    const server = http.createServer(() => {}); // accepts, reads, never answers
    server.on("connection", (s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const mirror = openMirror({ app: "silent", url: `http://127.0.0.1:${port}/notes.git`, dataDir: root });
      const e = await failure(mirror.sync({ timeoutMs: 500 }));
      expect(e).toBeInstanceOf(GitError);
      expect(e!.code).toBe("git_timeout");
      expect(e!.message).toBe("git fetch took longer than 0.5 s and was stopped");
      // git-remote-http held the connection: it closes because the helper was killed with git
      expect(sockets.length).toBeGreaterThan(0);
      await Promise.all(sockets.map((s) => (s.destroyed ? null : new Promise((r) => s.once("close", r)))));
    } finally {
      server.close();
    }
  });

  it("stops a command whose output goes over the cap", async () => {
    const bare = path.join(root, "cap.git");
    await runGit(root, ["init", "--quiet", "--bare", bare]);
    await fs.writeFile(path.join(root, "blob.txt"), "x".repeat(5000));
    const blob = (await runGit(bare, ["hash-object", "-w", path.join(root, "blob.txt")])).trim();
    const e = await failure(git(["cat-file", "blob", blob], { gitDir: bare, maxOutputBytes: 1000 }));
    expect(e!.code).toBe("output_too_large");
    expect(e!.message).toBe("git cat-file printed more than 1000 bytes and was stopped");
    expect((await git(["cat-file", "blob", blob], { gitDir: bare })).stdout.length).toBe(5000);
  });

  it("hides credentials git prints", () => {
    expect(sanitizeGitOutput("fatal: unable to access 'https://ada:ghp_0123456789abcdef@github.com/acme/notes.git/': 403\n")).toBe(
      "fatal: unable to access 'https://***@github.com/acme/notes.git/': 403",
    );
    expect(sanitizeGitOutput("remote: token=abcd1234secret rejected")).toBe("remote: token=**** rejected");
  });
});

describe("default branch and empty repositories", () => {
  it("falls back to main when the origin's HEAD names no branch it has", async () => {
    await fs.mkdir(path.join(root, "unborn"));
    const origin = await createOrigin(path.join(root, "unborn"));
    await origin.commit({ "a.txt": "a\n" }, "On main");
    await origin.gitBare(["symbolic-ref", "HEAD", "refs/heads/trunk"]);
    const mirror = openMirror({ app: "unborn", url: origin.url, dataDir: root });
    await mirror.sync();
    expect(await mirror.defaultBranch()).toBe("main");
    await origin.commit({ "b.txt": "b\n" }, "On dev", "dev");
    await origin.commit({ "c.txt": "c\n" }, "On feature", "feature");
    await origin.gitBare(["update-ref", "-d", "refs/heads/main"]);
    await mirror.sync();
    await expect(mirror.defaultBranch()).rejects.toThrow("the repository does not name a default branch: pick one of its branches");
  });

  it("syncs an empty repository and says it has no branch yet", async () => {
    const bare = path.join(root, "empty.git");
    await runGit(root, ["init", "--quiet", "--bare", bare]);
    const mirror = openMirror({ app: "empty", url: bare, dataDir: root });
    expect((await mirror.sync()).created).toBe(true);
    await expect(mirror.defaultBranch()).rejects.toThrow("the repository has no branch yet: push one");
    await expect(mirror.resolve("main")).rejects.toThrow(
      'unknown ref "main": no branch, tag or commit of that name in the repository (it has no branch yet); if it was pushed just now, fetch again',
    );
  });
});
