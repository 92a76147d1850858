import { describe, expect, it } from "vitest";
import { findNul, formatBytes, isJsonContentType, jsonDepth } from "./json-body";

describe("JSON body rules", () => {
  it.each<[string | null, boolean]>([
    ["application/json", true],
    ["Application/JSON; charset=utf-8", true],
    ["application/merge-patch+json", true],
    ["text/plain;charset=UTF-8", false],
    ["application/x-www-form-urlencoded", false],
    ["multipart/form-data; boundary=x", false],
    ["application/jsonx", false],
    [null, false],
  ])("content type %s is JSON: %s", (type, ok) => expect(isJsonContentType(type)).toBe(ok));

  it.each<[string, number]>([
    ["1", 0],
    ["{}", 1],
    ['{"a":[{"b":[]}]}', 4],
    ['{"a":"[[[[{{{{"}', 1],
    ['["\\"[[[["]', 1],
    ["[[],[[]],[]]", 3],
  ])("%s nests %i deep", (text, depth) => expect(jsonDepth(text)).toBe(depth));

  it("finds the first NUL with its path", () => {
    expect(findNul({ a: [1, "ok", { b: "x\u0000" }] })).toBe("a[2].b");
    expect(findNul({ ["k\u0000"]: 1 })).toBe("k\\u0000");
    expect(findNul("\u0000")).toBe("body");
    expect(findNul({ a: ["fine"], b: null })).toBeNull();
  });

  it.each<[number, string]>([
    [6 * 1024 * 1024, "6 MB"],
    [100 * 1024, "100 KB"],
    [1000, "1000 bytes"],
  ])("%i bytes is named %s", (n, s) => expect(formatBytes(n)).toBe(s));
});
