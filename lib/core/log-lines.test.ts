import { describe, expect, it } from "vitest";
import { errorLineIndex, matchingLines, mergeLines, stripAnsi } from "./log-lines";

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

describe("finding lines", () => {
  const t = (...texts: string[]) => texts.map((text) => ({ text }));
  const log = t(
    "UPDATE_IN_PROGRESS AWS::CloudFormation::Stack api-prod",
    "\u001b[31mCREATE_FAILED AWS::Lambda::Function Fn Invalid runtime\u001b[0m",
    "UPDATE_ROLLBACK_COMPLETE AWS::CloudFormation::Stack api-prod",
    '\u001b[31mResource handler returned message: "Invalid runtime"\u001b[0m',
  );

  it("strips ANSI colours", () => {
    expect(stripAnsi("\u001b[1;31mred\u001b[0m plain")).toBe("red plain");
  });

  it("finds the line that reports a step's error, else the last line", () => {
    expect(errorLineIndex(log, 'Resource handler returned message: "Invalid runtime"')).toBe(3);
    expect(errorLineIndex(log, "something the log never said")).toBe(3);
    expect(errorLineIndex(log.slice(0, 3), "CREATE_FAILED AWS::Lambda::Function Fn Invalid runtime")).toBe(1);
    expect(errorLineIndex([], "x")).toBe(-1);
  });

  it("searches ignoring case and colours", () => {
    expect(matchingLines(log, "invalid RUNTIME")).toEqual([1, 3]);
    expect(matchingLines(log, "31m")).toEqual([]);
    expect(matchingLines(log, "  ")).toEqual([]);
  });
});
