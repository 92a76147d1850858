import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "@playwright/test";
import type { AxeResults, Result } from "axe-core";

// axe-core itself, injected into the page (no wrapper package: @axe-core/playwright wants Node 22).
const source = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe's violations on the page as it is now (WCAG 2.x A and AA rules and best practices). */
export async function axeViolations(page: Page): Promise<Result[]> {
  await page.evaluate(source);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ["violations"],
    }),
  );
  return results.violations;
}

/** "color-contrast (serious): 3 × …": one line per violation, for a failure message and the report. */
export const describeViolations = (vs: Result[]) =>
  vs.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.help} — ${v.nodes[0]?.target.join(" ")}`).join("\n");

export const serious = (vs: Result[]) => vs.filter((v) => v.impact === "serious" || v.impact === "critical");
