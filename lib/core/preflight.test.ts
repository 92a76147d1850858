import { describe, expect, it } from "vitest";
import type { TBuildKind, TServiceMap, TServiceState } from "./domain";
import { droppedExports, type TDroppedExport } from "./preflight";

const svc = (artifact: string, exports: string[] = [], imports: string[] = []): TServiceState => ({
  artifact,
  exports: Object.fromEntries(exports.map((e) => [e, `{"Ref":"${e}"}`])),
  imports,
  dependsOn: [],
});

const live: TServiceMap = {
  "billing-api": svc("b2", ["ExtTopic-prod", "ExtQueue-prod"]),
  "notify-job": svc("n2", [], ["ExtTopic-prod"]),
  "audit-api": svc("a2", ["ExtAudit-prod"]),
};

describe("droppedExports", () => {
  it.each<[string, TBuildKind, TServiceMap, TServiceMap, TDroppedExport[]]>([
    [
      "nothing when the target keeps every export",
      "rollback",
      live,
      { ...live, "billing-api": svc("b1", ["ExtTopic-prod", "ExtQueue-prod"]) },
      [],
    ],
    [
      "a template without the export (the seed's rollback)",
      "rollback",
      live,
      { ...live, "billing-api": svc("b1", ["ExtQueue-prod"]) },
      [{ exportName: "ExtTopic-prod", service: "billing-api" }],
    ],
    [
      "a rollback removes a service absent from the release: all its exports",
      "rollback",
      live,
      { "billing-api": live["billing-api"]!, "notify-job": live["notify-job"]! },
      [{ exportName: "ExtAudit-prod", service: "audit-api" }],
    ],
    ["a deploy leaves services outside its manifest as they are", "deploy", live, { "notify-job": svc("n3") }, []],
    [
      "a deploy of a producer that drops both exports",
      "deploy",
      live,
      { "billing-api": svc("b3") },
      [
        { exportName: "ExtQueue-prod", service: "billing-api" },
        { exportName: "ExtTopic-prod", service: "billing-api" },
      ],
    ],
    [
      "an export moving to another service is dropped by its old owner",
      "deploy",
      live,
      { "billing-api": svc("b3", ["ExtQueue-prod"]), "audit-api": svc("a3", ["ExtAudit-prod", "ExtTopic-prod"]) },
      [{ exportName: "ExtTopic-prod", service: "billing-api" }],
    ],
    ["a new export is not dropped", "deploy", { x: svc("x1") }, { x: svc("x2", ["New-prod"]) }, []],
    ["an empty stage drops nothing", "rollback", {}, { x: svc("x1", ["E"]) }, []],
  ])("%s", (_name, kind, l, t, expected) => {
    expect(droppedExports(kind, l, t)).toEqual(expected);
  });
});
