import { describe, expect, it } from "vitest";
import { dateBounds, filterParams, filtersFromParams, likePattern, ZHistoryFilters } from "./history-filters";

describe("history filters", () => {
  it("reads lists, text and dates, and writes them back in a fixed order", () => {
    const f = ZHistoryFilters.parse({ to: "2026-02-01", status: "failed, canceled,failed", q: " fix ", service: "api", kind: "rollback" });
    expect(f).toEqual({ status: ["failed", "canceled"], kind: ["rollback"], q: "fix", service: "api", to: "2026-02-01" });
    expect(filterParams(f)).toEqual({ status: "failed,canceled", kind: "rollback", q: "fix", service: "api", to: "2026-02-01" });
  });

  it.each([
    [
      { status: "broken" },
      'status: "broken" is not a build status; use queued, running, success, failed, canceled, skipped, awaiting_approval, rejected (comma-separated)',
    ],
    [{ kind: "deploy,undo" }, 'kind: "undo" is not a build kind; use deploy, rollback, promote, remove (comma-separated)'],
    [{ service: "Billing API" }, "service: must be a service name (lowercase letters, digits and dashes)"],
    [{ from: "yesterday" }, "from: must be a date (YYYY-MM-DD) or an ISO time (2026-01-31)"],
    [{ q: "x".repeat(201) }, "q: must be at most 200 characters"],
  ])("names what is wrong with %j", (input, message) => {
    const r = ZHistoryFilters.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(`${issue.path.join(".")}: ${issue.message}`).toBe(message);
  });

  it("keeps what a URL holds that it can read, and drops the rest", () => {
    expect(filtersFromParams({ status: "failed", kind: "nope", author: ["a", "jay"], from: "2026-13-45", page: "2" })).toEqual({
      status: ["failed"],
      author: "jay",
    });
  });

  it("a day's `to` includes the whole day; ISO times are exact", () => {
    expect(dateBounds({ from: "2026-01-31", to: "2026-02-01" })).toEqual({
      from: new Date("2026-01-31T00:00:00Z"),
      before: new Date("2026-02-02T00:00:00Z"),
    });
    expect(dateBounds({ to: "2026-02-01T10:00:00Z" }).before).toEqual(new Date("2026-02-01T10:00:00Z"));
  });

  it("escapes LIKE's wildcards in the user's text", () => {
    expect(likePattern("50%_off\\")).toBe("%50\\%\\_off\\\\%");
  });
});
