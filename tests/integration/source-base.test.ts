// Which commit a service's files are compared with: after a change of sprout.yml rebuilt every
// service and most came out unchanged, the next change rebuilds only the service it touches.
import { describe, expect, it } from "vitest";
import { deploySource } from "@/lib/server/operations/deploy-source";
import { ZSourceDeploy } from "@/lib/core/validation";
import { appRef, TEST_ACTOR } from "../support/context";
import { waitForBuild, withWorker } from "../support/engine";
import { githubPush, INITIAL, postGithub, sourceApp, template } from "../support/source";

withWorker();

/** The checkout first, then the other steps by key (the plan orders steps of one phase as it likes). */
const steps = (b: { steps: { key: string; action: string; status: string }[] }) => {
  const [first, ...rest] = b.steps.map((s) => [s.key, s.action, s.status]);
  return [first, ...rest.sort((x, y) => x[0]!.localeCompare(y[0]!))];
};

describe("the commit a service is compared with", () => {
  it("moves to the newest build that found the service unchanged, so a change after a sprout.yml edit rebuilds only itself", async () => {
    const app = await sourceApp("src-base");
    await postGithub(app, githubPush(app.first));
    expect((await waitForBuild("src-base", "dev", 1)).status).toBe("success");

    // a new service: sprout.yml changes, so every service is rebuilt; the old ones come out the same
    const added = await app.origin.commit(
      {
        "sprout.yml": `${INITIAL["sprout.yml"] as string}  extra:\n    path: services/extra\n    template: template.json\n`,
        "services/extra/template.json": template(),
      },
      "Add extra",
    );
    await postGithub(app, githubPush(added));
    const second = await waitForBuild("src-base", "dev", 2);
    expect(second.status, second.error ?? "").toBe("success");
    expect(steps(second)).toEqual([
      ["checkout", "checkout", "success"],
      ["consumer", "unchanged", "unchanged"],
      ["extra", "create", "success"],
      ["package:consumer", "package", "success"],
      ["package:extra", "package", "success"],
      ["package:producer", "package", "success"],
      ["producer", "unchanged", "unchanged"],
    ]);

    const changed = await app.origin.commit(
      { "services/consumer/template.json": template({ imports: true, version: "v2" }) },
      "consumer v2",
    );
    const queued = await deploySource({
      app: await appRef("src-base"),
      stage: "dev",
      input: ZSourceDeploy.parse({ ref: changed }),
      actor: TEST_ACTOR,
    });
    const third = await waitForBuild("src-base", "dev", queued.number);
    expect(third.status, third.error ?? "").toBe("success");
    expect(steps(third)).toEqual([
      ["checkout", "checkout", "success"],
      ["consumer", "update", "success"],
      ["extra", "unchanged", "unchanged"],
      ["package:consumer", "package", "success"],
      ["producer", "unchanged", "unchanged"],
    ]);
  });
});
