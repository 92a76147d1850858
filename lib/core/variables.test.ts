import { describe, expect, it } from "vitest";
import { analyzeTemplate } from "./templates";
import { resolveParameters, unresolveParameters, variableRefs } from "./variables";

const vars = {
  DB_PASSWORD: { value: "hunter2-long", secret: true },
  API_URL: { value: "https://api.example.com", secret: false },
};

describe("{{secret:NAME}} in parameter values", () => {
  it("lists the variables a value references", () => {
    expect(variableRefs("{{secret:A}}-{{secret:B}}-{{secret:A}}")).toEqual(["A", "B"]);
    expect(variableRefs("plain")).toEqual([]);
  });

  it("resolves every reference, inside a longer value too", () => {
    expect(resolveParameters({ Password: "{{secret:DB_PASSWORD}}", Url: "{{secret:API_URL}}/v1", Plain: "x" }, vars, "dev")).toEqual({
      ok: true,
      values: { Password: "hunter2-long", Url: "https://api.example.com/v1", Plain: "x" },
    });
  });

  it("names the parameter and the variable the stage lacks", () => {
    expect(resolveParameters({ Token: "{{secret:GITHUB_TOKEN}}" }, vars, "pr-7")).toEqual({
      ok: false,
      error:
        "Parameter Token references {{secret:GITHUB_TOKEN}}, but stage pr-7 has no variable GITHUB_TOKEN: add it in the stage's settings (Variables), or change the parameter.",
    });
  });

  it("turns values read back from the account into references, so a refresh never records a secret", () => {
    const actual = { Password: "hunter2-long", Url: "https://api.example.com/v1", Dsn: "postgres://u:hunter2-long@db", Plain: "x" };
    const recorded = { Password: "{{secret:DB_PASSWORD}}", Url: "{{secret:API_URL}}/v1", Plain: "x" };
    expect(unresolveParameters(actual, recorded, vars)).toEqual({
      Password: "{{secret:DB_PASSWORD}}",
      Url: "{{secret:API_URL}}/v1",
      Dsn: "postgres://u:{{secret:DB_PASSWORD}}@db",
      Plain: "x",
    });
    // a value changed outside Sprout is recorded as it is (no secret in it)
    expect(unresolveParameters({ Url: "https://other" }, recorded, vars)).toEqual({ Url: "https://other" });
  });

  it("template analysis leaves a referenced value unchecked: it is known only when the step deploys", () => {
    const template = JSON.stringify({
      Parameters: { Password: { Type: "String", MinLength: 20, NoEcho: true } },
      Resources: { T: { Type: "AWS::SNS::Topic" } },
    });
    const analysis = analyzeTemplate(template, { stage: "dev", stackName: "api-dev", parameters: { Password: "{{secret:DB_PASSWORD}}" } });
    expect(analysis.parameters).toEqual({ Password: "{{secret:DB_PASSWORD}}" });
    expect(() => analyzeTemplate(template, { stage: "dev", stackName: "api-dev", parameters: { Password: "short" } })).toThrow(
      /shorter than MinLength 20/,
    );
  });
});
