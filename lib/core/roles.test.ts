import { describe, expect, it } from "vitest";
import { actorLabel, forbiddenMessage, permit, roleAtLeast, type TPermission, type TRole } from "./roles";

describe("roles", () => {
  it.each<[TRole | null, TRole, boolean]>([
    ["viewer", "viewer", true],
    ["viewer", "deployer", false],
    ["deployer", "viewer", true],
    ["deployer", "deployer", true],
    ["deployer", "admin", false],
    ["admin", "deployer", true],
    [null, "viewer", false],
  ])("%s is at least %s: %s", (role, needed, expected) => {
    expect(roleAtLeast(role, needed)).toBe(expected);
  });

  it.each<[TRole | null, TPermission, string | null]>([
    ["viewer", "rollback", "Your role on notes is viewer: rollback needs deployer"],
    ["viewer", "view", null],
    ["deployer", "rollback", null],
    ["deployer", "cancel", null],
    ["deployer", "settings", "Your role on notes is deployer: changing stage settings needs admin"],
    ["deployer", "tokens", "Your role on notes is deployer: managing tokens needs admin"],
    ["admin", "members", null],
    [null, "view", "You have no role on notes: viewing needs viewer"],
  ])("a %s may %s unless: %s", (role, what, why) => {
    expect(permit({ app: "notes", role }, what)).toEqual({ can: why === null, why });
  });

  it("says what the server refused and which role it needs", () => {
    expect(forbiddenMessage("notes", "viewer", "deployer", "rolling back")).toBe(
      "Your role on notes is viewer; rolling back needs deployer.",
    );
    expect(forbiddenMessage("notes", null, "viewer", "viewing it")).toBe("You have no role on notes; viewing it needs viewer.");
  });

  it.each([
    ["user:jay@example.com", "jay@example.com"],
    ["token:ci-deploy", "token ci-deploy"],
    ["github:push", "github:push"],
    ["api", "api"],
  ])("names the actor %s as %s", (label, shown) => {
    expect(actorLabel(label)).toBe(shown);
  });
});
