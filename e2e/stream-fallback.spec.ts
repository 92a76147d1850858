// A live stream can go quiet without an error (a proxy that buffers, a half-dead connection). The
// build page must not then show "running" forever: a stream counts as up only once it is heard from
// (the server pings at once, then every 5 s), and one silent past the heartbeat is down again;
// meanwhile the page polls. Here every EventSource the page opens connects and then hears nothing.
import { expect, test } from "@playwright/test";
import { fn, tokenApi } from "./fixtures";

const app = `quiet-${Date.now().toString(36)}`;

test("the build page polls while its stream is open but silent, and shows the build's end", async ({ page, playwright }, info) => {
  test.setTimeout(60_000);
  const api = await tokenApi(playwright, info);
  expect((await api.post("/api/apps", { data: { name: app, stages: [{ name: "dev" }] } })).status()).toBe(201);

  await page.addInitScript(() => {
    // an EventSource that opens and then stays silent: no events, no pings, no error
    class SilentEventSource extends EventTarget {
      static readonly CONNECTING = 0;
      static readonly OPEN = 1;
      static readonly CLOSED = 2;
      readyState = 0;
      onopen: ((e: Event) => void) | null = null;
      onerror: ((e: Event) => void) | null = null;
      onmessage: ((e: MessageEvent) => void) | null = null;
      constructor(readonly url: string) {
        super();
        setTimeout(() => {
          this.readyState = 1;
          this.onopen?.(new Event("open"));
        }, 50);
      }
      close() {
        this.readyState = 2;
      }
    }
    (window as unknown as { EventSource: unknown }).EventSource = SilentEventSource;
  });

  const res = await api.post(`/api/apps/${app}/stages/dev/builds`, {
    data: {
      commit: { sha: "5e1e47a", message: "Quiet stream", author: "Maya Chen" },
      services: [{ name: "api", template: { ...fn(1), Metadata: { Sprout: { deploySeconds: 4 } } } }],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { build } = (await res.json()) as { build: { number: number } };
  await page.goto(`/apps/${app}/stages/dev/builds/${build.number}`);
  const status = page.locator("header").filter({ has: page.getByRole("heading", { name: `Build #${build.number}` }) });
  await expect(status.locator("span[data-status]").first()).not.toHaveAttribute("data-status", "success");
  // polled every 2 s: the 4 s step's end shows without a single event
  await expect(status.locator("span[data-status]").first()).toHaveAttribute("data-status", "success", { timeout: 20_000 });
  await api.dispose();
});
