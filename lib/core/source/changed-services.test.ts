import { describe, expect, it } from "vitest";
import { changedServices } from "./changed-services";
import { parseSproutYml } from "./sprout-yml";

const config = parseSproutYml(`services:
  billing-api: { path: services/billing-api, template: ../shared/billing.json }
  notes-api: { path: services/notes-api, template: .sprout/t.json }
  web: { path: services/web, template: t.json }
`);

describe("changedServices", () => {
  it.each([
    ["nothing changed", [], []],
    ["a file outside every service", ["README.md", "docs/a.md"], []],
    ["a file under one service", ["services/notes-api/src/handler.ts"], [["notes-api", "services/notes-api/src/handler.ts changed"]]],
    [
      "several files under two services",
      ["services/web/a.ts", "services/notes-api/x", "services/web/b.ts", "services/web/c.ts"],
      [
        ["notes-api", "services/notes-api/x changed"],
        ["web", "services/web/a.ts and 2 other files changed"],
      ],
    ],
    ["one other file", ["services/web/a.ts", "services/web/b.ts"], [["web", "services/web/a.ts and 1 other file changed"]]],
    ["a service whose name prefixes another folder", ["services/web-old/a.ts"], []],
    [
      "the template outside the service's folder",
      ["services/shared/billing.json"],
      [["billing-api", "services/shared/billing.json changed"]],
    ],
    [
      "sprout.yml itself",
      ["sprout.yml", "services/web/a.ts"],
      [
        ["billing-api", "sprout.yml changed"],
        ["notes-api", "sprout.yml changed"],
        ["web", "sprout.yml changed"],
      ],
    ],
    ["a sprout.yml in a subfolder", ["services/web/sprout.yml"], [["web", "services/web/sprout.yml changed"]]],
    ["paths git cannot produce", ["/services/web/a.ts", "../services/web/a.ts", ""], []],
  ])("%s", (_title, paths, expected) => {
    expect(changedServices(config, paths).map((c) => [c.name, c.reason])).toEqual(expected);
  });

  it("rebuilds every service of a root-path service layout on any change", () => {
    const root = parseSproutYml("services:\n  app: { path: ., template: t.json }\n");
    expect(changedServices(root, ["src/index.ts"])).toEqual([{ name: "app", reason: "src/index.ts changed" }]);
  });
});
