import { describe, expect, test } from "vitest";
import { TemplateError, analyzeTemplate } from ".";

// Metadata.Sprout steers the sandbox; its duration is capped so that one step cannot hold a worker slot for days.
const template = (deploySeconds: number) =>
  `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nMetadata: { Sprout: { deploySeconds: ${deploySeconds} } }\n`;
const opts = { stage: "prod", stackName: "api-prod" };

describe("Metadata.Sprout.deploySeconds", () => {
  test("up to 3600 is taken", () => {
    expect(analyzeTemplate(template(3600), opts).metadata).toEqual({ deploySeconds: 3600 });
  });
  test("over 3600 is refused with the limit and the line", () => {
    let caught: unknown;
    try {
      analyzeTemplate(template(1_000_000), opts);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TemplateError);
    expect((caught as TemplateError).message).toBe("line 4: Metadata.Sprout.deploySeconds: must be at most 3600 (one hour); got 1000000");
  });
});
