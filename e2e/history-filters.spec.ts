// The stage history's filters: typed into the bar, kept in the URL (a reload or a shared link shows
// the same builds), each change a new page of builds from the server, Clear brings the whole history back.
import { expect, test } from "@playwright/test";

test("filters the history by text, status and author, in the URL, and clears them", async ({ page, request }) => {
  await page.goto("/apps/notes/stages/prod");
  const rows = page.getByTestId("build-history").getByRole("row");
  await expect(rows.first()).toBeVisible();
  const all = await rows.count();

  const search = page.getByRole("search", { name: "Filter builds" });
  await search.getByLabel("Commit message or sha").fill("billing-api");
  await expect(page).toHaveURL(/\?q=billing-api$/);
  const messages = rows.getByTestId("commit-message");
  await expect(async () => {
    const texts = await messages.allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.length).toBeLessThan(all);
    for (const t of texts) expect(t.toLowerCase()).toContain("billing-api");
  }).toPass({ timeout: 10_000 });

  // a reload keeps them: the server renders the filtered page
  await page.reload();
  await expect(search.getByLabel("Commit message or sha")).toHaveValue("billing-api");
  const api = (await (await request.get("/api/apps/notes/stages/prod/builds?q=billing-api")).json()) as { builds: { number: number }[] };
  await expect(async () => {
    expect(await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.build)))).toEqual(
      api.builds.map((b) => b.number),
    );
  }).toPass({ timeout: 10_000 });

  // and by who wrote the commit: the server's answer to both filters, each row naming that author
  await search.getByLabel("Author or actor").fill("rivera");
  await expect(page).toHaveURL(/[?&]author=rivera(&|$)/);
  await expect(page).toHaveURL(/[?&]q=billing-api(&|$)/);
  const byAuthor = (await (await request.get("/api/apps/notes/stages/prod/builds?q=billing-api&author=rivera")).json()) as {
    builds: { number: number; commit: { author: string | null } }[];
  };
  expect(byAuthor.builds.length).toBeGreaterThan(0);
  expect(byAuthor.builds.length).toBeLessThan(api.builds.length);
  for (const b of byAuthor.builds) expect(b.commit.author).toContain("Rivera");
  await expect(async () => {
    expect(await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.build)))).toEqual(
      byAuthor.builds.map((b) => b.number),
    );
  }).toPass({ timeout: 10_000 });
  for (const row of await rows.all()) await expect(row).toContainText("Tomás Rivera");

  await search.getByLabel("Status").selectOption("rejected");
  await expect(page).toHaveURL(/status=rejected/);
  await expect(page.getByText("No builds match these filters.")).toBeVisible();

  await search.getByRole("button", { name: "Clear 3 filters" }).click();
  await expect(page).toHaveURL(/\/apps\/notes\/stages\/prod$/);
  await expect(rows).toHaveCount(all);
});
