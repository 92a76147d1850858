// The embedded PostgreSQL of `npm start`, with the real binaries, in temp folders: it starts where a
// newcomer clones (a private folder, as root), keeps to its own data folder's server (own password,
// own port, its system identifier checked), says in one line why it cannot start, and is out of
// reach of the terminal's Ctrl-C.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EmbeddedPostgresError, startEmbeddedPostgres, type TEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { alive, linkedBinaries, openDir, privateDir, query, rejection, removeClusters } from "../support/embedded-postgres";

const servers: TEmbeddedPostgres[] = [];
const start = async (dataDir: string, extra: { serverHome?: string; binDir?: string } = {}) => {
  const server = await startEmbeddedPostgres({ dataDir, database: "sprout", serverHome: extra.serverHome ?? openDir(), ...extra });
  servers.push(server);
  return server;
};
const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);
const portOf = (url: string) => Number(new URL(url).port);

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop().catch(() => {});
  await removeClusters();
});

const asRoot = process.getuid?.() === 0;
const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]);

describe("where a newcomer clones", () => {
  // CI runs as root, as the newcomer of the report did; as a normal user the server runs as that user and there is nothing to move
  it.runIf(asRoot)(
    "as root, starts in a private folder (mode 700) with the binaries inside it, answers, stops, and keeps its data",
    async () => {
      const checkout = privateDir();
      const binDir = linkedBinaries(checkout);
      const dataDir = path.join(checkout, ".data");
      const serverHome = openDir();

      const first = await start(dataDir, { serverHome, binDir });
      await query(first.url, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
      // PostgreSQL runs as the OS user postgres, from a cluster and a copy of the binaries under the server home it can enter
      const postgresUid = Number(fs.readFileSync("/etc/passwd", "utf8").match(/^postgres:[^:]*:(\d+):/m)![1]);
      expect(uidOf(first.pid)).toBe(postgresUid);
      const cluster = fs.readFileSync(path.join(dataDir, "pg-cluster"), "utf8").trim();
      expect(cluster.startsWith(fs.realpathSync(serverHome) + path.sep)).toBe(true);
      expect(fs.existsSync(path.join(cluster, "PG_VERSION"))).toBe(true);
      expect(fs.readlinkSync(`/proc/${first.pid}/exe`).startsWith(fs.realpathSync(serverHome) + path.sep)).toBe(true);
      await first.stop();
      expect(alive(first.pid)).toBe(false);

      const again = await start(dataDir, { serverHome, binDir });
      expect(again.startedHere).toBe(true);
      expect(await query(again.url, "SELECT n FROM kept")).toEqual([{ n: 42 }]);
      await again.stop();
      // the newcomer's folder stays private
      expect(fs.statSync(checkout).mode & 0o777).toBe(0o700);
    },
  );

  it("says in one line what is wrong when the binaries are missing or cannot be run", async () => {
    const empty = openDir();
    const missing = await rejection(start(path.join(openDir(), "data"), { binDir: empty }));
    expect(missing).toBeInstanceOf(EmbeddedPostgresError);
    expect(missing.message).toBe(
      `${path.join(empty, "initdb")} is missing: run \`npm install\` again (it installs the PostgreSQL binaries), or set DATABASE_URL to a PostgreSQL server.`,
    );

    const notExecutable = openDir();
    for (const name of ["initdb", "postgres"]) fs.writeFileSync(path.join(notExecutable, name), "#!/bin/sh\n", { mode: 0o644 });
    const denied = await rejection(start(path.join(openDir(), "data"), { binDir: notExecutable }));
    expect(denied).toBeInstanceOf(EmbeddedPostgresError);
    expect(denied.message).toMatch(/cannot run \/\S+\/initdb \(permission denied\): make it executable \(chmod \+x\)/);
    expect(denied.message).not.toContain("\n");
  });

  it("says why the server stopped while starting, from its log, in one line", async () => {
    const dataDir = path.join(openDir(), "data");
    const server = await start(dataDir);
    await server.stop();
    const clusterDir = path.join(dataDir, "pg");
    fs.appendFileSync(path.join(clusterDir, "postgresql.conf"), "\nshared_buffers = lots\n");

    const e = await rejection(start(dataDir));
    expect(e).toBeInstanceOf(EmbeddedPostgresError);
    expect(e.message).toBe(
      `PostgreSQL stopped while starting (exit code 1): invalid value for parameter "shared_buffers": "lots"; configuration file "${path.join(clusterDir, "postgresql.conf")}" contains errors; see ${path.join(dataDir, "pg.log")}.`,
    );
    expect(e.message).not.toContain("\n");
  });
});

describe("one data folder, one server", () => {
  it("gives each data folder a password of its own, kept with mode 600, that the other's server rejects", async () => {
    const a = await start(path.join(openDir(), "data"));
    const b = await start(path.join(openDir(), "data"));
    expect(passwordOf(a.url)).not.toBe(passwordOf(b.url));
    expect(portOf(a.url)).not.toBe(portOf(b.url));
    for (const s of [a, b]) expect(passwordOf(s.url)).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const wrong = new URL(b.url);
    wrong.password = passwordOf(a.url);
    await expect(query(wrong.toString(), "SELECT 1")).rejects.toThrow(/password authentication failed/);
  });

  it("keeps the password file readable by its owner only", async () => {
    const dataDir = path.join(openDir(), "data");
    const server = await start(dataDir);
    expect(fs.statSync(path.join(dataDir, "pg-password")).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dataDir, "pg-password"), "utf8").trim()).toBe(passwordOf(server.url));
  });

  it("refuses another data folder's server found on its remembered port, with the port and what to do", async () => {
    const dataA = path.join(openDir(), "data");
    const a = await start(dataA);
    await a.stop();
    const dataB = path.join(openDir(), "data");
    const b = await start(dataB);
    fs.writeFileSync(path.join(dataA, "pg-port"), String(portOf(b.url)));

    const e = await rejection(start(dataA));
    expect(e.message).toBe(
      `port ${portOf(b.url)} (remembered in ${path.join(dataA, "pg-port")}) is taken by another program: a PostgreSQL server that rejects this data folder's password; stop it, or delete ${path.join(dataA, "pg-port")} so that the next start picks a free port.`,
    );
    expect(await query(b.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("refuses a server that accepts its password but is another cluster (system identifier)", async () => {
    const dataA = path.join(openDir(), "data");
    const a = await start(dataA);
    await a.stop();
    // a copied data folder's password: only the system identifier tells the clusters apart
    const dataB = path.join(openDir(), "data");
    fs.mkdirSync(dataB);
    fs.copyFileSync(path.join(dataA, "pg-password"), path.join(dataB, "pg-password"));
    const b = await start(dataB);
    fs.writeFileSync(path.join(dataA, "pg-port"), String(portOf(b.url)));

    const e = await rejection(start(dataA));
    const expected = fs.readFileSync(path.join(dataA, "pg-system-id"), "utf8").trim();
    const got = fs.readFileSync(path.join(dataB, "pg-system-id"), "utf8").trim();
    expect(e.message).toContain(`a PostgreSQL server that is not this data folder's (system identifier ${got}, expected ${expected})`);
    expect(e.message).toContain(`port ${portOf(b.url)}`);
  });

  it("says which port is taken by another program and what to do", async () => {
    const taker = net.createServer((socket) => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
    await new Promise<void>((resolve) => taker.listen(0, "127.0.0.1", resolve));
    const port = (taker.address() as net.AddressInfo).port;
    try {
      const dataDir = path.join(openDir(), "data");
      fs.mkdirSync(dataDir);
      fs.writeFileSync(path.join(dataDir, "pg-port"), String(port));
      const e = await rejection(start(dataDir));
      expect(e.message).toMatch(
        new RegExp(
          `^port ${port} \\(remembered in ${path.join(dataDir, "pg-port")}\\) is taken by another program .*: stop it, or delete ${path.join(dataDir, "pg-port")} so that the next start picks a free port\\.$`,
        ),
      );
    } finally {
      taker.close();
    }
  });

  it("moves a cluster made before per-folder passwords to a password of its own", async () => {
    const dataDir = path.join(openDir(), "data");
    const server = await start(dataDir);
    // what earlier versions left: the password "sprout", no password file, no recorded identifier
    await query(server.url, "ALTER ROLE postgres PASSWORD 'sprout'");
    await server.stop();
    fs.rmSync(path.join(dataDir, "pg-password"));
    fs.rmSync(path.join(dataDir, "pg-system-id"));

    const upgraded = await start(dataDir);
    expect(passwordOf(upgraded.url)).not.toBe("sprout");
    expect(await query(upgraded.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    const legacy = new URL(upgraded.url);
    legacy.password = "sprout";
    await expect(query(legacy.toString(), "SELECT 1")).rejects.toThrow(/password authentication failed/);
    expect(fs.existsSync(path.join(dataDir, "pg-system-id"))).toBe(true);
  });
});

describe("Ctrl-C and killed starts", () => {
  it("is not reached by a Ctrl-C to the starting process's group, and a killed start's server is reused", async () => {
    const dataDir = path.join(openDir(), "data");
    const serverHome = openDir();
    // detached: the child leads a process group, as `npm start` in a terminal's foreground group
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/embedded-postgres-child.ts", dataDir, serverHome], {
      detached: true,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    const lines = (pattern: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const line = out.split("\n").find((l) => pattern.test(l));
          if (line) resolve(line);
        };
        child.stdout!.on("data", (d) => {
          out += d;
          check();
        });
        child.once("exit", (code) => reject(new Error(`the starting process exited (${code}): ${out}`)));
        check();
      });
    try {
      const { url, pid } = JSON.parse(await lines(/^\{/)) as { url: string; pid: number };
      const pgrp = Number(fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[2]);
      expect(pgrp).toBe(pid);

      process.kill(-child.pid!, "SIGINT");
      await lines(/^SIGINT$/);
      // a postmaster that got SIGINT would be shutting down by now (fast shutdown takes milliseconds)
      await new Promise((r) => setTimeout(r, 500));
      expect(alive(pid)).toBe(true);
      expect(await query(url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);

      child.kill("SIGKILL");
      const reused = await start(dataDir, { serverHome });
      expect(reused.startedHere).toBe(false);
      expect(reused.pid).toBe(pid);
      expect(await query(reused.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
      await reused.stop();
      expect(alive(pid)).toBe(false);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
