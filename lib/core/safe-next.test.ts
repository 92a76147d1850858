import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

describe("safeNext", () => {
  it.each<[string, string | null | undefined, string]>([
    ["nothing", undefined, "/"],
    ["empty", "", "/"],
    ["a path of ours", "/apps/notes/stages/prod", "/apps/notes/stages/prod"],
    ["with a query and a hash", "/apps/notes?tab=audit#top", "/apps/notes?tab=audit#top"],
    ["a tab between slashes (browsers drop it: //evil.example)", "/\t/evil.example", "/"],
    ["a newline between slashes", "/\n/evil.example", "/"],
    ["a carriage return between slashes", "/\r/evil.example", "/"],
    ["a newline inside a path (dropped, as a browser does)", "/apps/\nnotes", "/apps/notes"],
    ["protocol-relative", "//evil.example/x", "/"],
    ["a backslash (read as a slash)", "/\\evil.example", "/"],
    ["backslashes only", "\\\\evil.example", "/"],
    ["an absolute URL", "https://evil.example/apps", "/"],
    ["javascript:", "javascript:alert(1)", "/"],
    ["a dot segment that leaves a double slash", "/.//evil.example", "/"],
    ["an encoded newline stays encoded", "/%0A", "/%0A"],
    ["spaces and non-ASCII are encoded", "/a b/é", "/a%20b/%C3%A9"],
    ["relative: resolved from the root", "apps/notes", "/apps/notes"],
  ])("%s", (_, input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });
});
