import { describe, expect, it } from "vitest";
import { auditTargetHref } from "./audit-links";

describe("auditTargetHref", () => {
  it.each<[string, string, string | null]>([
    ["deploy", "prod #12", "/apps/notes/stages/prod/builds/12"],
    ["rollback", "pr-7 #3", "/apps/notes/stages/pr-7/builds/3"],
    ["approve", "prod #14", "/apps/notes/stages/prod/builds/14"],
    ["stage.parameters", "prod billing-api", "/apps/notes/stages/prod/settings#templates-title"],
    ["stage.update", "dev", "/apps/notes/stages/dev/settings"],
    ["stack.adopt", "prod billing-api", "/apps/notes/stages/prod/settings#target-title"],
    ["variable.set", "prod API_URL", "/apps/notes/stages/prod/settings#variables-title"],
    ["variable.delete", "prod API_URL", "/apps/notes/stages/prod/settings#variables-title"],
    ["notification.create", "prod webhook ops channel", "/apps/notes/stages/prod/settings#notifications-title"],
    ["notification.test", "prod email ops", "/apps/notes/stages/prod/settings#notifications-title"],
    ["stage.pin", "prod", "/apps/notes/stages/prod"],
    ["stage.unpin", "prod", "/apps/notes/stages/prod"],
    ["stage.create", "pr-7", "/apps/notes/stages/pr-7"],
    ["stage.archive", "pr-7", "/apps/notes/stages/pr-7"],
    ["stage.refresh", "prod", "/apps/notes/stages/prod"],
    ["app.update", "notes", "/apps/notes/settings#pr-stages-title"],
    ["repository.connect", "https://github.com/acme/notes.git", "/apps/notes/settings#repository-title"],
    ["repository.secret", "webhook secret", "/apps/notes/settings#repository-title"],
    ["member.add", "jay@example.com", "/apps/notes/settings#members-title"],
    ["token.revoke", "token ci", "/apps/notes/settings#tokens-title"],
    ["app.create", "notes", "/apps/notes"],
    // a target that cannot name a stage is no link rather than a 404
    ["stage.update", "Prod Stage", null],
    ["variable.set", "../x NAME", null],
    ["something.new", "prod", null],
  ])("%s on %j links to %s", (action, target, href) => {
    expect(auditTargetHref("notes", { action, target })).toBe(href);
  });

  it("never puts a stage's second word into its path", () => {
    const href = auditTargetHref("notes", { action: "stage.parameters", target: "prod billing-api" })!;
    expect(new URL(href, "http://x").pathname).toBe("/apps/notes/stages/prod/settings");
  });
});
