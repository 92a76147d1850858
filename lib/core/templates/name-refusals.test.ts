// Names that cannot be resolved before deploying, and the intrinsic functions and conditions used
// wrongly in them: each refused with the place, the reason and the fix.
import { describe, expect, test } from "vitest";
import { TemplateError, analyzeTemplate, type TAnalyzeOptions } from ".";

const yaml = (...ls: string[]) => `${ls.join("\n")}\n`;
const base: TAnalyzeOptions = { stage: "dev", stackName: "network-dev" };
const topic = ["Resources:", "  Topic:", "    Type: AWS::SNS::Topic"];
const KNOWN_BEFORE = "must be known before deploying: build it from parameters, pseudo parameters and literals";

const nameOf = (expr: string, before: string[] = []) =>
  yaml(...before, ...topic, "Outputs:", "  Out:", "    Value: !Ref Topic", "    Export:", `      Name: ${expr}`);
const refusals: [string, string, number, string][] = [
  [
    "a Ref to a resource",
    nameOf("!Ref Topic"),
    8,
    `uses Ref Topic (a resource), whose value only AWS knows; an export name ${KNOWN_BEFORE}`,
  ],
  [
    "a resource attribute in Fn::Sub",
    nameOf("!Sub '${Topic.TopicName}-x'"),
    8,
    `uses Fn::GetAtt Topic.TopicName, whose value only AWS knows; an export name ${KNOWN_BEFORE}`,
  ],
  [
    "an imported value",
    nameOf("!Sub ['${X}-y', { X: !ImportValue other }]"),
    8,
    `uses Fn::ImportValue other, whose value only AWS knows; an export name ${KNOWN_BEFORE}`,
  ],
  ["AWS::StackId", nameOf("!Ref AWS::StackId"), 8, `uses AWS::StackId, whose value only AWS knows; an export name ${KNOWN_BEFORE}`],
  [
    "a dynamic reference",
    nameOf("'{{resolve:ssm:/net/vpc-name}}'"),
    8,
    `uses the dynamic reference {{resolve:ssm:/net/vpc-name}}, whose value AWS reads when it deploys; an export name ${KNOWN_BEFORE}`,
  ],
  [
    "a dynamic reference inside Fn::Sub",
    nameOf("!Sub '${AWS::StackName}-{{resolve:ssm:/suffix}}'"),
    8,
    `uses the dynamic reference {{resolve:ssm:/suffix}}, whose value AWS reads when it deploys; an export name ${KNOWN_BEFORE}`,
  ],
  [
    "a Ref to a name the template does not declare",
    nameOf("!Sub '${Missing}-x'"),
    8,
    `uses Ref Missing, which names no Parameter, resource or pseudo parameter of this template; an export name ${KNOWN_BEFORE}`,
  ],
  [
    "Fn::If on a condition only AWS can evaluate",
    nameOf("!If [On, a, b]", [
      "Parameters: { F: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /f } }",
      "Conditions: { On: !Equals [!Ref F, x] }",
    ]),
    10,
    `uses Parameter F (type AWS::SSM::Parameter::Value<String>), whose value AWS reads from Systems Manager when it deploys; an export name ${KNOWN_BEFORE}`,
  ],
  [
    "an empty name",
    nameOf("!Ref Empty", ["Parameters: { Empty: { Type: String, Default: '' } }"]),
    9,
    "is empty; an export name must be a non-empty string",
  ],
  [
    "a list",
    nameOf("!Ref Names", ["Parameters: { Names: { Type: CommaDelimitedList, Default: 'a,b' } }"]),
    9,
    "must be a string, not a list",
  ],
  [
    "a list inserted by Fn::Sub",
    nameOf("!Sub '${Names}-x'", ["Parameters: { Names: { Type: CommaDelimitedList, Default: 'a,b' } }"]),
    9,
    "${Names} is a list, and Fn::Sub inserts strings only: make one string of it with Fn::Join",
  ],
  [
    "a missing key of Fn::FindInMap",
    nameOf("!FindInMap [RegionMap, !Ref 'AWS::Region', Prefix]", ["Mappings: { RegionMap: { eu-west-1: { Prefix: euw1 } } }"]),
    9,
    "Mappings.RegionMap has no key us-east-1: add it to Mappings, or give Fn::FindInMap a DefaultValue (with the AWS::LanguageExtensions transform)",
  ],
  ["Fn::Select past the end", nameOf("!Select [2, [a, b]]"), 8, "index 2 is past the end of a list of 2: pick an index from 0 to 1"],
  ["Fn::Select with a negative index", nameOf("!Select [-1, [a, b]]"), 8, "must be a whole number from 0, not -1"],
  ["Fn::Join of something else than a list", nameOf("!Join [',', abc]"), 8, "must be a list of values to join"],
  ["Fn::Split by nothing", nameOf("!Select [0, !Split ['', abc]]"), 8, "must be a non-empty string"],
  [
    "Fn::If on an undeclared condition",
    nameOf("!If [Nope, a, b]"),
    8,
    "names condition Nope, which is not in Conditions: declare it under Conditions, or use one that is",
  ],
  [
    "conditions that refer to each other",
    nameOf("!If [A, a, b]", ["Conditions:", "  A: !Condition B", "  B: !Not [!Condition A]"]),
    2,
    "refers to itself: A -> B -> A",
  ],
  [
    "a condition that is not a condition function",
    nameOf("!If [A, a, b]", ["Conditions: { A: yes }"]),
    1,
    "must be a condition function: Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition",
  ],
  ["Fn::Equals of one value", nameOf("!If [A, a, b]", ["Conditions: { A: !Equals [x] }"]), 1, "takes a list of two values to compare"],
];

describe("export names that cannot be resolved are refused with the reason and the fix", () => {
  test.each(refusals)("%s", (_name, text, line, reason) => {
    let caught: unknown;
    try {
      analyzeTemplate(text, { ...base, service: "billing-api" });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TemplateError);
    const where = (caught as TemplateError).reason.split(": ")[0];
    expect(caught).toMatchObject({
      line,
      service: "billing-api",
      message: `billing-api template, line ${line}: ${(caught as TemplateError).reason}`,
    });
    expect((caught as TemplateError).reason).toBe(`${where}: ${reason}`);
    expect(where).toMatch(/^(Outputs\.Out\.Export\.Name|Conditions\.\w+)/);
  });

  test("an output's condition must be declared", () => {
    const text = yaml(...topic, "Outputs:", "  Out:", "    Condition: IsProd", "    Value: !Ref Topic", "    Export: { Name: x }");
    expect(() => analyzeTemplate(text, base)).toThrow(
      new TemplateError(
        "Outputs.Out.Condition: names condition IsProd, which is not in Conditions: declare it under Conditions, or use one that is",
        6,
      ),
    );
  });

  test("an import name only AWS knows is refused where Fn::ImportValue stands", () => {
    const text = yaml(...topic, "    Properties:", "      TopicName:", "        Fn::ImportValue: !Sub '${Topic}-name'");
    expect(() => analyzeTemplate(text, base)).toThrow(
      new TemplateError(
        `Resources.Topic.Properties.TopicName.Fn::ImportValue: uses Ref Topic (a resource), whose value only AWS knows; an import name ${KNOWN_BEFORE}`,
        6,
      ),
    );
  });
});
