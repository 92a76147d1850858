import { describe, expect, it } from "vitest";
import { mergeLines } from "./log-lines";

const l = (...seqs: number[]) => seqs.map((seq) => ({ seq }));

describe("mergeLines", () => {
  it.each([
    ["appends new lines", l(1, 2), l(3, 4), [1, 2, 3, 4]],
    ["keeps one copy of lines seen twice", l(1, 2, 3), l(2, 3, 4), [1, 2, 3, 4]],
    ["fills a gap before the known lines", l(5, 6), l(1, 2, 3, 4, 5), [1, 2, 3, 4, 5, 6]],
    ["sorts lines that arrive out of order", l(), l(3, 1, 2), [1, 2, 3]],
    ["returns the same lines when nothing arrives", l(1), l(), [1]],
  ])("%s", (_name, existing, incoming, expected) => {
    expect(mergeLines(existing, incoming).map((x) => x.seq)).toEqual(expected);
  });
});
