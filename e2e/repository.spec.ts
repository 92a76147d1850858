// The Repository card of an app's settings: connecting shows the webhook secret once (and it is
// the one the webhook checks), the webhook URLs are absolute; rotating and disconnecting confirm
// first. An app without a repository gets a Deploy link to this page.
import crypto from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";

const ping = (request: APIRequestContext, app: string, secret: string) => {
  const body = JSON.stringify({ zen: "Design for failure." });
  return request.post(`/api/webhooks/github/${app}`, {
    headers: {
      "content-type": "application/json",
      "x-github-event": "ping",
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": `sha256=${crypto.createHmac("sha256", secret).update(body).digest("hex")}`,
    },
    data: body,
  });
};

test("connect shows the secret once, the webhook takes it; rotate replaces it; disconnect after a confirm", async ({
  page,
  request,
  baseURL,
}) => {
  const app = `repo-${Date.now().toString(36)}`;
  expect((await request.post("/api/apps", { data: { name: app, stages: [{ name: "dev" }] } })).status()).toBe(201);

  await page.goto(`/apps/${app}/stages/dev`);
  await page.getByTestId("deploy-no-repository").click();
  await expect(page).toHaveURL(new RegExp(`/apps/${app}/settings$`));
  const card = page.getByTestId("repository-card");
  await expect(card.getByTestId("no-repository")).toBeVisible();

  await card.getByLabel("Repository URL").fill("http://git.example.com/acme/notes.git");
  await card.getByRole("button", { name: "Connect" }).click();
  await expect(card.getByRole("alert")).toContainText("url: ");
  await card.getByLabel("Repository URL").fill(`/srv/git/${app}.git`);
  await card.getByRole("button", { name: "Connect" }).click();
  const secret = (await card.getByTestId("webhook-secret").textContent())!;
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await expect(card.getByTestId("repository-url")).toHaveText(`/srv/git/${app}.git`);
  await expect(card.getByTestId("webhook-url-github")).toHaveText(`${baseURL}/api/webhooks/github/${app}`);
  await expect(card.getByTestId("webhook-url-gitlab")).toHaveText(`${baseURL}/api/webhooks/gitlab/${app}`);
  expect((await ping(request, app, secret)).status()).toBe(200);
  expect((await ping(request, app, "not-the-secret")).status()).toBe(401);

  // shown once: not after a reload
  await page.reload();
  await expect(card.getByTestId("repository-url")).toBeVisible();
  await expect(card.getByTestId("webhook-secret")).toHaveCount(0);

  await card.getByRole("button", { name: "Rotate webhook secret" }).click();
  const rotate = page.getByRole("dialog", { name: "Rotate the webhook secret?" });
  await expect(rotate.getByRole("button", { name: "Cancel" })).toBeFocused();
  await rotate.getByRole("button", { name: "Rotate secret" }).click();
  await expect(rotate).toHaveCount(0);
  const rotated = (await card.getByTestId("webhook-secret").textContent())!;
  expect(rotated).not.toBe(secret);
  expect((await ping(request, app, secret)).status()).toBe(401);
  expect((await ping(request, app, rotated)).status()).toBe(200);

  await card.getByRole("button", { name: "Disconnect" }).click();
  const disconnect = page.getByRole("dialog", { name: `Disconnect /srv/git/${app}.git?` });
  await expect(disconnect.getByRole("button", { name: "Cancel" })).toBeFocused();
  await disconnect.getByRole("button", { name: "Disconnect" }).click();
  await expect(card.getByTestId("no-repository")).toBeVisible();
  await expect(card.getByTestId("webhook-secret")).toHaveCount(0);
});
