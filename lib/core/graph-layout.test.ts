import { describe, expect, it } from "vitest";
import { layoutLayers } from "./graph-layout";

describe("layoutLayers", () => {
  it("puts producers left of their consumers, by longest chain", () => {
    const { nodes } = layoutLayers(
      ["notify-job", "billing-api", "notes-api", "web"],
      [
        { from: "billing-api", to: "notify-job" },
        { from: "notes-api", to: "web" },
        { from: "billing-api", to: "web" },
        { from: "notify-job", to: "web" },
      ],
    );
    const depth = Object.fromEntries(nodes.map((n) => [n.name, n.depth]));
    expect(depth).toEqual({ "billing-api": 0, "notes-api": 0, "notify-job": 1, web: 2 });
  });

  it("survives a cycle", () => {
    const { nodes } = layoutLayers(
      ["a", "b"],
      [
        { from: "a", to: "b" },
        { from: "b", to: "a" },
      ],
    );
    expect(nodes).toHaveLength(2);
    expect(new Set(nodes.map((n) => n.depth)).size).toBe(2);
  });
});
