import { describe, expect, it } from "vitest";
import { SPROUT_YML_MAX_BYTES, SproutYmlError, parseSproutYml, stageParameters } from "./sprout-yml";

const VALID = `# the example of docs/architecture.md
services:
  billing-api:
    path: services/billing-api
    build: npm run package
    template: .sprout/template.json
    dependsOn: [notes-api]
  notes-api:
    path: ./services/notes-api/
    template: ../shared/notes.json
stages:
  prod:
    services:
      billing-api:
        parameters: { TopicName: purchases, Version: 1.10, Enabled: true, Count: 3, Hex: 0x1F }
`;

function errorOf(text: string, file?: string): SproutYmlError {
  try {
    parseSproutYml(text, file);
  } catch (e) {
    if (e instanceof SproutYmlError) return e;
    throw e;
  }
  throw new Error("expected a SproutYmlError");
}

const svc = (body: string) => `services:\n  a:\n${body}`;

describe("parseSproutYml: a valid file", () => {
  const config = parseSproutYml(VALID);

  it("keeps services in file order with normalized paths and the template's path from the root", () => {
    expect(config.services).toEqual([
      {
        name: "billing-api",
        path: "services/billing-api",
        build: "npm run package",
        template: ".sprout/template.json",
        templatePath: "services/billing-api/.sprout/template.json",
        dependsOn: ["notes-api"],
      },
      {
        name: "notes-api",
        path: "services/notes-api",
        build: null,
        template: "../shared/notes.json",
        templatePath: "services/shared/notes.json",
        dependsOn: [],
      },
    ]);
  });

  it("gives stage parameters as strings, numbers and booleans as written", () => {
    expect(stageParameters(config, "prod", "billing-api")).toEqual({
      TopicName: "purchases",
      Version: "1.10",
      Enabled: "true",
      Count: "3",
      Hex: "0x1F",
    });
  });

  it.each([
    ["prod", "notes-api"],
    ["dev", "billing-api"],
    ["constructor", "billing-api"],
    ["prod", "constructor"],
  ])("gives no parameters for stage %s, service %s", (stage, service) => {
    expect(stageParameters(config, stage, service)).toEqual({});
  });

  it("keeps the file's order when service names look like numbers", () => {
    const c = parseSproutYml(
      "services:\n  web: { path: web, template: t }\n  '2024': { path: y, template: t }\n  10: { path: x, template: t }\n",
    );
    expect(c.services.map((s) => s.name)).toEqual(["web", "2024", "10"]);
  });

  it("takes the repository root as a service path, a null build and a YAML alias shared between stages", () => {
    const c = parseSproutYml(
      `services:\n  app: { path: ., build: , template: t.yml }\nstages:\n  dev: { services: { app: { parameters: &p { A: x } } } }\n  prod: { services: { app: { parameters: *p } } }\n`,
    );
    expect(c.services[0]).toMatchObject({ path: ".", build: null, templatePath: "t.yml" });
    expect(stageParameters(c, "prod", "app")).toEqual({ A: "x" });
  });
});

describe("parseSproutYml: every problem with its line, field and fix", () => {
  it.each([
    // [title, file text, expected message]
    [
      "empty file",
      "",
      "sprout.yml line 1: is empty: list the services, e.g. services: { billing-api: { path: services/billing-api, template: template.json } }",
    ],
    ["a list at the root", "- a\n", "sprout.yml line 1: must be a mapping with a services: key listing the services"],
    [
      "duplicate key",
      svc("    path: a\n    path: b\n    template: t\n"),
      "sprout.yml line 4: a key appears twice in the same mapping: fix the YAML syntax",
    ],
    ["YAML syntax", "services: a: b\n", "sprout.yml line 1: Nested mappings are not allowed in compact mappings: fix the YAML syntax"],
    [
      "unresolved alias",
      "services: *nope\n",
      "sprout.yml line 1: Unresolved alias (the anchor must be set before the alias): nope: fix the YAML alias",
    ],
    [
      "unknown root key",
      "services:\n  a: { path: a, template: t }\nstagse: {}\n",
      'sprout.yml line 3: unknown key "stagse": did you mean "stages"?',
    ],
    [
      "unknown service key",
      svc("    path: a\n    bulid: x\n    template: t\n"),
      'sprout.yml line 4: services.a: unknown key "bulid": did you mean "build"?',
    ],
    [
      "unknown key far from any",
      svc("    path: a\n    template: t\n    region: eu\n"),
      'sprout.yml line 5: services.a: unknown key "region": allowed keys: path, build, template, dependsOn',
    ],
    [
      "services missing",
      "stages: {}\n",
      "sprout.yml line 1: services: is required: a mapping of service names to their settings, e.g. { billing-api: { path: services/billing-api, template: template.json } }",
    ],
    ["services a list", "services: []\n", "sprout.yml line 1: services: must be a mapping of service names to their settings (got a list)"],
    [
      "no service",
      "services: {}\n",
      "sprout.yml line 1: services: must list at least one service, e.g. billing-api: { path: services/billing-api, template: template.json }",
    ],
    [
      "service name not a slug",
      "services:\n  Billing_API: { path: a, template: t }\n",
      'sprout.yml line 2: services.Billing_API: service name "Billing_API" is not valid: use lowercase letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters',
    ],
    [
      "service not a mapping",
      "services:\n  a: 3\n",
      "sprout.yml line 2: services.a: must be a mapping with the service's path and template (got 3)",
    ],
    [
      "service empty",
      "services:\n  a:\n",
      "sprout.yml line 2: services.a: must be a mapping with the service's path and template (got nothing)",
    ],
    [
      "path missing",
      svc("    template: t\n"),
      "sprout.yml line 2: services.a.path: is required: a folder relative to the repository root, e.g. services/billing-api",
    ],
    [
      "path a number",
      svc("    path: 12\n    template: t\n"),
      "sprout.yml line 3: services.a.path: must be a folder relative to the repository root (got 12)",
    ],
    [
      "path empty",
      svc('    path: ""\n    template: t\n'),
      'sprout.yml line 3: services.a.path: must not be empty: use "." for the repository root',
    ],
    [
      "path above the root",
      svc("    path: ../x\n    template: t\n"),
      'sprout.yml line 3: services.a.path: must be a relative path inside the repository (got "../x")',
    ],
    [
      "path with .. inside",
      svc("    path: a/../b\n    template: t\n"),
      'sprout.yml line 3: services.a.path: must be a relative path inside the repository (got "a/../b")',
    ],
    [
      "path absolute",
      svc("    path: /srv/a\n    template: t\n"),
      'sprout.yml line 3: services.a.path: must be a relative path inside the repository (got "/srv/a")',
    ],
    [
      "path with backslashes",
      svc("    path: 'a\\b'\n    template: t\n"),
      'sprout.yml line 3: services.a.path: must use forward slashes (/), not backslashes (got "a\\\\b")',
    ],
    [
      "path with a control character",
      svc('    path: "a\\tb"\n    template: t\n'),
      'sprout.yml line 3: services.a.path: must not contain control characters (got "a\\tb")',
    ],
    [
      "build a list",
      svc("    path: a\n    template: t\n    build: [npm, test]\n"),
      "sprout.yml line 5: services.a.build: must be a shell command (got a list)",
    ],
    [
      "build blank",
      svc('    path: a\n    template: t\n    build: "  "\n'),
      "sprout.yml line 5: services.a.build: must not be empty: remove the key if the service has nothing to build",
    ],
    [
      "build too long",
      svc(`    path: a\n    template: t\n    build: ${"x".repeat(8193)}\n`),
      "sprout.yml line 5: services.a.build: must be at most 8192 characters: move a long script into a file of the repository",
    ],
    [
      "template missing",
      svc("    path: a\n"),
      "sprout.yml line 2: services.a.template: is required: the template's path relative to the service's path, e.g. .sprout/template.json",
    ],
    [
      "template blank",
      svc('    path: a\n    template: ""\n'),
      "sprout.yml line 4: services.a.template: must not be empty: name the template file, e.g. .sprout/template.json",
    ],
    [
      "template leaves the repository",
      svc("    path: services/a\n    template: ../../../x.json\n"),
      'sprout.yml line 4: services.a.template: must stay inside the repository (it goes above its root with ..) (got "../../../x.json")',
    ],
    [
      "template absolute",
      svc("    path: a\n    template: /etc/t.json\n"),
      'sprout.yml line 4: services.a.template: must be a relative path, not an absolute one (got "/etc/t.json")',
    ],
    [
      "template a folder",
      svc("    path: a\n    template: ..\n"),
      'sprout.yml line 4: services.a.template: must name a file, not a folder (got "..")',
    ],
    [
      "dependsOn a string",
      svc("    path: a\n    template: t\n    dependsOn: b\n"),
      'sprout.yml line 5: services.a.dependsOn: must be a list of service names (got "b")',
    ],
    [
      "dependsOn item a mapping",
      svc("    path: a\n    template: t\n    dependsOn: [{ b: 1 }]\n"),
      "sprout.yml line 5: services.a.dependsOn[0]: must be a service name (got a mapping)",
    ],
    [
      "dependsOn itself",
      svc("    path: a\n    template: t\n    dependsOn: [a]\n"),
      'sprout.yml line 5: services.a.dependsOn[0]: a service cannot depend on itself: remove "a"',
    ],
    [
      "dependsOn unknown",
      svc("    path: a\n    template: t\n    dependsOn:\n      - zz\n"),
      'sprout.yml line 6: services.a.dependsOn[0]: names no service of this file: "zz" (services: a)',
    ],
    [
      "dependsOn twice",
      "services:\n  a: { path: a, template: t, dependsOn: [b, b] }\n  b: { path: b, template: t }\n",
      'sprout.yml line 2: services.a.dependsOn[1]: lists "b" twice: keep one',
    ],
    [
      "dependency cycle",
      "services:\n  a: { path: a, template: t, dependsOn: [b] }\n  b: { path: b, template: t, dependsOn: [c] }\n  c: { path: c, template: t, dependsOn: [a] }\n",
      "sprout.yml line 2: services.a.dependsOn: services depend on each other in a cycle (a -> b -> c -> a): remove one of these dependencies",
    ],
    [
      "stages a list",
      "services:\n  a: { path: a, template: t }\nstages: [prod]\n",
      "sprout.yml line 3: stages: must be a mapping of stage names to their settings (got a list)",
    ],
    [
      "stage name not a slug",
      "services:\n  a: { path: a, template: t }\nstages:\n  Prod: { services: {} }\n",
      'sprout.yml line 4: stages.Prod: stage name "Prod" is not valid: use lowercase letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters',
    ],
    [
      "stage not a mapping",
      "services:\n  a: { path: a, template: t }\nstages:\n  prod: yes\n",
      'sprout.yml line 4: stages.prod: must be a mapping with the stage\'s services (got "yes")',
    ],
    [
      "stage without services",
      "services:\n  a: { path: a, template: t }\nstages:\n  prod: {}\n",
      "sprout.yml line 4: stages.prod.services: is required: a mapping of service names to their settings, e.g. { billing-api: { parameters: { TopicName: purchases } } }",
    ],
    [
      "unknown stage key",
      "services:\n  a: { path: a, template: t }\nstages:\n  prod:\n    services: {}\n    approve: true\n",
      'sprout.yml line 6: stages.prod: unknown key "approve": allowed keys: services',
    ],
    [
      "stage names an unknown service",
      "services:\n  a: { path: a, template: t }\nstages:\n  prod:\n    services:\n      b: { parameters: {} }\n",
      'sprout.yml line 6: stages.prod.services.b: names no service of this file: "b" (services: a)',
    ],
    [
      "stage service not a mapping",
      "services:\n  a: { path: a, template: t }\nstages:\n  prod: { services: { a: x } }\n",
      'sprout.yml line 4: stages.prod.services.a: must be a mapping with the service\'s parameters (got "x")',
    ],
    [
      "unknown stage service key",
      "services:\n  a: { path: a, template: t }\nstages:\n  prod: { services: { a: { parameters: {}, parameter: {} } } }\n",
      'sprout.yml line 4: stages.prod.services.a: unknown key "parameter": did you mean "parameters"?',
    ],
    [
      "parameters a list",
      "services:\n  a: { path: a, template: t }\nstages:\n  prod: { services: { a: { parameters: [A] } } }\n",
      "sprout.yml line 4: stages.prod.services.a.parameters: must be a mapping of parameter names to values (got a list)",
    ],
    [
      "parameter value a list",
      "services:\n  a: { path: a, template: t }\nstages:\n  prod:\n    services:\n      a:\n        parameters:\n          Subnets: [a, b]\n",
      "sprout.yml line 8: stages.prod.services.a.parameters.Subnets: must be a string, number or boolean (got a list); a list parameter takes one comma-separated string",
    ],
    [
      "parameter value empty",
      "services:\n  a: { path: a, template: t }\nstages:\n  prod: { services: { a: { parameters: { A: } } } }\n",
      "sprout.yml line 4: stages.prod.services.a.parameters.A: must be a string, number or boolean (got nothing); a list parameter takes one comma-separated string",
    ],
    [
      "parameter name not CloudFormation's",
      "services:\n  a: { path: a, template: t }\nstages:\n  prod: { services: { a: { parameters: { topic-name: x } } } }\n",
      'sprout.yml line 4: stages.prod.services.a.parameters.topic-name: "topic-name" is not a CloudFormation parameter name: use letters and digits only',
    ],
  ])("%s", (_title, text, message) => {
    expect(errorOf(text).message).toBe(message);
  });

  it("refuses a file over the size limit before parsing it", () => {
    const big = `services:\n  a: { path: a, template: t }\n# ${"x".repeat(SPROUT_YML_MAX_BYTES)}\n`;
    const e = errorOf(big);
    expect(e.message).toBe("sprout.yml: is 257 KB, over the limit of 256 KB: keep only services and stage parameters in it");
    expect(e.line).toBeNull();
  });

  it("refuses aliases that expand without bound (billion laughs), at the line of the first alias", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 6; i++)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? "*a" : `*l${i - 1}`)
          .join(", ")}]`,
      );
    const e = errorOf(`${levels.join("\n")}\nservices: *l5\n`);
    expect(e.message).toBe("sprout.yml line 2: expands YAML aliases more than 100 times: write the values out instead of nesting aliases");
  });

  it("refuses more than 500 services and 200 parameters", () => {
    const many = Array.from({ length: 501 }, (_, i) => `  s${i}: { path: s${i}, template: t }`).join("\n");
    expect(errorOf(`services:\n${many}\n`).message).toBe("sprout.yml line 1: services: lists 501 services, over the limit of 500");
    const params = Array.from({ length: 201 }, (_, i) => `P${i}: x`).join(", ");
    expect(
      errorOf(`services:\n  a: { path: a, template: t }\nstages:\n  prod: { services: { a: { parameters: { ${params} } } } }\n`).message,
    ).toBe("sprout.yml line 4: stages.prod.services.a.parameters: lists 201 parameters, over CloudFormation's limit of 200");
  });

  it("refuses more than 200 stages", () => {
    const stages = Array.from({ length: 201 }, (_, i) => `  st${i}: { services: {} }`).join("\n");
    expect(errorOf(`services:\n  a: { path: a, template: t }\nstages:\n${stages}\n`).message).toBe(
      "sprout.yml line 3: stages: lists 201 stages, over the limit of 200",
    );
  });

  it("lists every problem, in line order, and carries file, line and issues", () => {
    const e = errorOf(
      "services:\n  b:\n    path: /abs\n    template: t\n    bulid: x\n  a:\n    path: ../up\n    template: t\n",
      "repo/sprout.yml",
    );
    expect(e).toBeInstanceOf(SproutYmlError);
    expect(e.file).toBe("repo/sprout.yml");
    expect(e.line).toBe(3);
    expect(e.issues).toEqual([
      { line: 3, field: "services.b.path", reason: 'must be a relative path inside the repository (got "/abs")' },
      { line: 5, field: "services.b", reason: 'unknown key "bulid": did you mean "build"?' },
      { line: 7, field: "services.a.path", reason: 'must be a relative path inside the repository (got "../up")' },
    ]);
    expect(e.message.split("\n")).toEqual([
      'repo/sprout.yml line 3: services.b.path: must be a relative path inside the repository (got "/abs")',
      'repo/sprout.yml line 5: services.b: unknown key "bulid": did you mean "build"?',
      'repo/sprout.yml line 7: services.a.path: must be a relative path inside the repository (got "../up")',
    ]);
  });
});
