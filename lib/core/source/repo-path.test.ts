import { describe, expect, it } from "vitest";
import { isUnderRepoPath, joinRepoPath, normalizeRepoPath } from "./repo-path";

describe("normalizeRepoPath", () => {
  it.each([
    ["services/a", "services/a"],
    ["./services//a/", "services/a"],
    ["services/a/../b", "services/b"],
    ["", "."],
    [".", "."],
    ["./", "."],
    ["a/..", "."],
    ["dir with spaces/é", "dir with spaces/é"],
  ])("%j -> %j", (input, path) => {
    expect(normalizeRepoPath(input)).toEqual({ ok: true, path });
  });

  it.each([
    ["../x", "must stay inside the repository (it goes above its root with ..)"],
    ["a/../../x", "must stay inside the repository (it goes above its root with ..)"],
    ["/etc/passwd", "must be a relative path inside the repository, not an absolute one"],
    ["C:/x", "must be a relative path inside the repository, not an absolute one"],
    ["~/x", "must be a relative path inside the repository, not an absolute one"],
    ["a\\b", "must use forward slashes (/), not backslashes"],
    ["a\nb", "must not contain control characters"],
    ["a\u0000b", "must not contain control characters"],
  ])("refuses %j", (input, reason) => {
    expect(normalizeRepoPath(input)).toEqual({ ok: false, reason });
  });
});

describe("joinRepoPath", () => {
  it.each([
    ["services/a", ".sprout/t.json", { ok: true, path: "services/a/.sprout/t.json" }],
    ["services/a", "../shared/t.json", { ok: true, path: "services/shared/t.json" }],
    [".", "t.json", { ok: true, path: "t.json" }],
    ["services/a", "../../../t.json", { ok: false, reason: "must stay inside the repository (it goes above its root with ..)" }],
    ["services/a", "/t.json", { ok: false, reason: "must be a relative path, not an absolute one" }],
  ])("%s + %s", (dir, rel, expected) => {
    expect(joinRepoPath(dir, rel)).toEqual(expected);
  });
});

describe("isUnderRepoPath", () => {
  it.each([
    ["services/a/x.ts", "services/a", true],
    ["services/a", "services/a", true],
    ["services/ab/x.ts", "services/a", false],
    ["services/x.ts", "services/a", false],
    ["anything", ".", true],
  ])("%s under %s: %s", (path, dir, expected) => {
    expect(isUnderRepoPath(path, dir)).toBe(expected);
  });
});
