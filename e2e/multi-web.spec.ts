import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { expect, test } from "@playwright/test";
import { readE2eAuth } from "./auth-files";
import { fn, tokenApi } from "./fixtures";

// Two web processes behind one database, as behind a load balancer: Playwright's web server and a
// second `npm start` web server (scripts/web-server.ts over the same .next build) on another port.
// A client on each follows the same build: both get every log line and the end, through their own
// process's LISTEN.

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

async function follow(base: string, path: string, token: string) {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" } });
  expect(res.status).toBe(200);
  const events: { event: string; data: { build?: { status: string }; lines?: { seq: number }[] } }[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let cut; (cut = buffer.indexOf("\n\n")) >= 0; buffer = buffer.slice(cut + 2)) {
      const block = buffer.slice(0, cut);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  }
  return events;
}

let second: ChildProcess | null = null;
test.afterAll(() => {
  second?.kill("SIGTERM");
});

test("a build's events reach a client on each of two web servers", async ({ playwright }, info) => {
  const { token, secretKey } = readE2eAuth();
  const databaseUrl = fs.readFileSync(".data/e2e-database-url", "utf8").trim();
  const port = await freePort();
  second = spawn(process.execPath, ["--import", "tsx", "scripts/web-server.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), SPROUT_SECRET_KEY: secretKey },
    stdio: "ignore",
  });
  const bases = [info.project.use.baseURL!, `http://127.0.0.1:${port}`];
  await expect
    .poll(
      () =>
        fetch(`${bases[1]}/api/health`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 60_000 },
    )
    .not.toBe(0);

  const api = await tokenApi(playwright, info);
  const app = `two-webs-${info.retry}`; // a retry makes its own app
  expect((await api.post("/api/apps", { data: { name: app, stages: [{ name: "prod" }] } })).status()).toBe(201);
  const queued = await api.post(`/api/apps/${app}/stages/prod/builds`, {
    data: { commit: { sha: "feedface01", message: "Seen from both", author: "Maya Chen" }, services: [{ name: "api", template: fn(1) }] },
  });
  expect(queued.status()).toBe(201);
  const { build } = (await queued.json()) as { build: { number: number } };
  const path = `/api/apps/${app}/stages/prod/builds/${build.number}/events`;
  const [a, b] = await Promise.all(bases.map((base) => follow(base, path, token)));
  for (const events of [a!, b!]) {
    expect(events.at(-1)!.event).toBe("end");
    expect(events.filter((e) => e.event === "build").at(-1)!.data.build!.status).toBe("success");
  }
  const seqs = (events: typeof a) => events!.flatMap((e) => (e.event === "log" ? e.data.lines!.map((l) => l.seq) : []));
  expect(seqs(a).length).toBeGreaterThan(0);
  expect(seqs(a)).toEqual(seqs(b));
});
