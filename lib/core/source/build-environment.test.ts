import { describe, expect, it } from "vitest";
import { BuildEnvironmentError, buildEnvironment, variableNameProblem, variableValueProblem } from "./build-environment";

const base = {
  app: "notes",
  stage: "prod",
  commit: "a".repeat(40),
  buildNumber: 12,
  home: "/srv/sprout/homes/app-1",
  path: "/usr/local/bin:/usr/bin:/bin",
};

describe("buildEnvironment", () => {
  it("gives exactly Sprout's six variables and the stage's", () => {
    expect(buildEnvironment({ ...base, variables: { TOPIC: "purchases", API_KEY: "s3cret", _UNDER: "" } })).toEqual({
      TOPIC: "purchases",
      API_KEY: "s3cret",
      _UNDER: "",
      PATH: "/usr/local/bin:/usr/bin:/bin",
      HOME: "/srv/sprout/homes/app-1",
      SPROUT_APP: "notes",
      SPROUT_STAGE: "prod",
      SPROUT_COMMIT: "a".repeat(40),
      SPROUT_BUILD_NUMBER: "12",
    });
  });

  it.each([
    [{ variables: { PATH: "/tmp" } }, "stage prod: variable name PATH is reserved: Sprout sets PATH for every build; pick another name"],
    [
      { variables: { SPROUT_DEBUG: "1" } },
      "stage prod: variable name SPROUT_DEBUG is reserved: Sprout sets SPROUT_* variables for every build; pick another name",
    ],
    [
      { variables: { "MY-VAR": "1" } },
      'stage prod: variable name "MY-VAR" must be upper-case letters, digits and _, not starting with a digit (at most 128 characters), e.g. API_URL',
    ],
    [{ variables: { X: "a\u0000b" } }, "stage prod: variable X must not contain a NUL character"],
    [{ variables: {}, home: "homes/app-1" }, 'the build\'s HOME must be an absolute folder, not "homes/app-1"'],
    [{ variables: {}, path: "" }, "the build's PATH must not be empty"],
  ])("refuses %j", (over, message) => {
    expect(() => buildEnvironment({ ...base, ...over } as Parameters<typeof buildEnvironment>[0])).toThrow(
      new BuildEnvironmentError(message),
    );
  });
});

describe("variable names and values", () => {
  it.each([
    ["TOPIC_NAME", null],
    ["_X1", null],
    [
      "api_url",
      'variable name "api_url" must be upper-case letters, digits and _, not starting with a digit (at most 128 characters), e.g. API_URL',
    ],
    ["HOME", "variable name HOME is reserved: Sprout sets HOME for every build; pick another name"],
    ["1X", 'variable name "1X" must be upper-case letters, digits and _, not starting with a digit (at most 128 characters), e.g. API_URL'],
    [
      "A".repeat(129),
      `variable name "${"A".repeat(60)}" must be upper-case letters, digits and _, not starting with a digit (at most 128 characters), e.g. API_URL`,
    ],
  ])("%s", (name, problem) => {
    expect(variableNameProblem(name)).toBe(problem);
  });

  it("caps a value at 32 KiB", () => {
    expect(variableValueProblem("X", "x".repeat(32 * 1024))).toBeNull();
    expect(variableValueProblem("X", "x".repeat(32 * 1024 + 1))).toBe("variable X is 32769 characters, over the limit of 32768");
  });
});
