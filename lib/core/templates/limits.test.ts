// One hostile template must neither stall the web process nor crash it: every limit is refused
// quickly, with a message that names the limit and the fix.
import { describe, expect, test } from "vitest";
import { MAX_TEMPLATE_BYTES, TemplateError, analyzeTemplate } from ".";

const opts = { stage: "dev", stackName: "billing-api-dev", service: "billing-api" };
const head = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
const FIX = "simplify the template or split the service into smaller stacks";
// A refusal must be quick, but these run on loaded 2-core machines: 5 s still catches the 13 s the
// alias bomb once took. "answers 400 in under a second" is checked through the route, alongside another
// request, in tests/integration/http-input.test.ts.
const QUICK_MS = 5000;

function refusal(text: string): { error: TemplateError; ms: number } {
  const started = performance.now();
  try {
    analyzeTemplate(text, opts);
  } catch (e) {
    if (e instanceof TemplateError) return { error: e, ms: performance.now() - started };
    throw e;
  }
  throw new Error("the template was accepted");
}

describe("limits", () => {
  test("a 300 KB template reusing an anchor 999 times is refused quickly", () => {
    const anchor = Array.from({ length: 18_000 }, (_, i) => `    - item-${i}`).join("\n");
    const bomb = `${head}Metadata:\n  Big: &big\n${anchor}\n  Copies: [${Array(999).fill("*big").join(", ")}]\n`;
    expect(bomb.length).toBeGreaterThan(300_000);
    const { error, ms } = refusal(bomb);
    expect(error.message).toBe(
      `billing-api template, line 18006: the template uses more than 100 YAML aliases (*big), over Sprout's limit: repeat the text instead, or ${FIX}`,
    );
    expect(ms).toBeLessThan(QUICK_MS);
  });

  test("nested aliases that expand a billion times are refused by the expanded size", () => {
    let laughs = `${head}Metadata:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n`;
    for (let i = 1; i < 10; i++)
      laughs += `  l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(", ")}]\n`;
    const { error, ms } = refusal(laughs);
    expect(error.message).toBe(
      `billing-api template: the template expands to more than 250,000 nodes, over Sprout's limit for one template: ${FIX} (YAML aliases and Fn::ForEach count as often as they are used)`,
    );
    expect(ms).toBeLessThan(QUICK_MS);
  });

  test("Fn::ForEach loops that multiply past the limit are refused the same way", () => {
    // Five nested loops of 12 items: 248,832 topics of a few nodes each.
    const items = Array.from({ length: 12 }, (_, i) => `v${i}`);
    let body: object = { "T${I0}${I1}${I2}${I3}${I4}": { Type: "AWS::SNS::Topic", Properties: { A: [1, 2, 3] } } };
    for (let depth = 4; depth >= 0; depth--) body = { [`Fn::ForEach::L${depth}`]: [`I${depth}`, items, body] };
    const text = JSON.stringify({ Transform: "AWS::LanguageExtensions", Resources: body });
    const { error, ms } = refusal(text);
    expect(error.reason).toMatch(/^the template expands to more than 250,000 nodes/);
    expect(ms).toBeLessThan(QUICK_MS);
  });

  test.each([
    ["YAML", `${head}Outputs:\n  Arn: { Value: !Ref Topic, Export: { Name: !Sub "\${AWS::StackName}-arn" } }\n`],
    ["JSON", JSON.stringify({ Resources: { Topic: { Type: "AWS::SNS::Topic" } } })],
  ])("a %s template read past the time budget is refused, naming the limit and the fix", (_kind, text) => {
    expect(analyzeTemplate(text, opts).resources).toEqual([{ logicalId: "Topic", type: "AWS::SNS::Topic" }]);
    expect(() => analyzeTemplate(text, { ...opts, timeMs: 0 })).toThrow(
      new TemplateError(
        `reading the template took more than 0 seconds, over Sprout's time limit for one template: ${FIX}`,
        null,
        "billing-api",
      ),
    );
  });

  test("stars that are not aliases (wildcards in policies, block text) do not count as aliases", () => {
    const statements = Array.from(
      { length: 150 },
      (_, i) => `      - { Effect: Allow, Action: "s3:*", Resource: arn:aws:s3:::bucket-${i}/* }`,
    ).join("\n");
    const notes = Array.from({ length: 150 }, (_, i) => `    * note ${i}`).join("\n");
    const text = `${head}  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n${statements.replace(/^/gm, "    ")}\nMetadata:\n  Notes: |\n${notes}\n`;
    const analysis = analyzeTemplate(text, opts);
    expect(analysis.resources.map((r) => r.logicalId)).toEqual(["Topic", "Policy"]);
  });

  test("an alias inside its own anchor is refused", () => {
    expect(refusal(`${head}Metadata: &a [*a]\n`).error.message).toBe(
      "billing-api template, line 4: YAML alias *a refers to a node that contains it",
    );
  });

  test.each([
    ["JSON 10,000 levels deep", `{"Resources": ${'{"a":'.repeat(10_000)}1${"}".repeat(10_001)}`, 1],
    ["YAML flow 10,000 levels deep", `Resources: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`, 1],
    ["YAML flow 500,000 levels deep, unclosed", `Resources: ${"[".repeat(500_000)}\n`, 1],
    ["YAML flow whose closing brackets hide in quoted strings", `Resources: ${'[ "]]]]", '.repeat(200)}${"]".repeat(200)}\n`, 1],
    [
      "YAML block mappings 150 levels deep",
      `Resources:\n${Array.from({ length: 150 }, (_, i) => `${" ".repeat(i + 1)}a:`).join("\n")}\n`,
      102,
    ],
  ])("nesting: %s is a clear error, never a stack overflow", (_name, text, line) => {
    const { error, ms } = refusal(text);
    expect(error.message).toBe(
      `billing-api template, line ${line}: the template nests more than 100 levels deep, over Sprout's limit: flatten it (${FIX})`,
    );
    expect(ms).toBeLessThan(QUICK_MS);
  });

  test("conditions nested through each other are a clear error, never a stack overflow", () => {
    const conditions: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) {
      let truth: unknown = i === 99 ? { "Fn::Equals": ["a", "a"] } : { Condition: `C${i + 1}` };
      for (let d = 0; d < 47; d++) truth = { "Fn::Not": [truth] };
      conditions[`C${i}`] = truth;
    }
    const text = JSON.stringify({
      Conditions: conditions,
      Resources: { T: { Type: "AWS::SNS::Topic" } },
      Outputs: { O: { Condition: "C0", Value: "x", Export: { Name: "n" } } },
    });
    expect(refusal(text).error.reason).toMatch(
      /^Conditions\.C\d+(\.Fn::Not\[0\])+: expressions nest more than 500 levels deep, counting the conditions they refer to: simplify them$/,
    );
  });

  test("deep but legal nesting is read", () => {
    const text = `${head}    Properties: { Policy: ${"[".repeat(90)}x${"]".repeat(90)} }\n`;
    expect(analyzeTemplate(text, opts).resources).toEqual([{ logicalId: "Topic", type: "AWS::SNS::Topic" }]);
  });

  test("a text over 1 MB is refused, as CloudFormation refuses it", () => {
    expect(MAX_TEMPLATE_BYTES).toBe(1_048_576);
    const text = `${head}Metadata:\n  Pad: "${"é".repeat(MAX_TEMPLATE_BYTES / 2)}"\n`;
    expect(refusal(text).error.message).toBe(
      `billing-api template: the template is 1025 KB, over the limit of 1 MB (1,048,576 bytes) that CloudFormation sets for a template: ${FIX}`,
    );
  });

  test("a tag CloudFormation does not know is named with its line", () => {
    const text = `${head}    Properties:\n      Code: !Rain::Embed handler.js\n`;
    expect(refusal(text).error).toMatchObject({
      line: 5,
      reason: expect.stringMatching(
        /^!Rain::Embed is not a tag CloudFormation knows \(it knows !Ref, .*\): a tool's own tag \(e\.g\. rain's !Rain::Embed\) must be expanded by that tool before the template is given to Sprout$/,
      ),
    });
  });
});
