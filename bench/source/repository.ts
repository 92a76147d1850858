// The monorepo the source benchmarks build: 20 services of 250 files each (5,000 in all) under
// services/<name>/, a sprout.yml naming them in a binary dependency tree (svc-02 and svc-03
// after svc-01, and so on), every file's content from a seeded PRNG so every run measures the same repository.
import type { TFiles } from "@/tests/support/git-repo";
import { rng } from "../support-measure";

export const SERVICES = 20;
export const FILES = 5_000;

export const serviceName = (i: number) => `svc-${String(i + 1).padStart(2, "0")}`;

/**
 * 5,000 source files of 0.2 to 4 KB, spread over 20 services' src/, src/lib/ and test/ folders; each
 * service's template at `templateAt` (default .sprout/template.json, what sprout.yml deploys).
 */
export function layout(seed: number, opts: { build?: string; template?: unknown; templateAt?: string } = {}): TFiles {
  const build = opts.build ?? "npm run package";
  const template = JSON.stringify(opts.template ?? { Resources: { Topic: { Type: "AWS::SNS::Topic" } } });
  const random = rng(seed);
  const words = [
    "const",
    "export",
    "function",
    "return",
    "await",
    "import",
    "from",
    "topic",
    "billing",
    "notes",
    "stage",
    "handler",
    "event",
  ];
  const files: TFiles = {};
  const perService = FILES / SERVICES;
  for (let s = 0; s < SERVICES; s++) {
    for (let f = 0; f < perService; f++) {
      const folder = ["src", "src/lib", "test"][f % 3];
      const length = 200 + Math.floor(random() * 3800);
      let text = "";
      while (text.length < length) text += `${words[Math.floor(random() * words.length)]}${random() < 0.15 ? "\n" : " "}`;
      files[`services/${serviceName(s)}/${folder}/file-${f}.ts`] = text;
    }
    files[`services/${serviceName(s)}/${opts.templateAt ?? ".sprout/template.json"}`] = template;
  }
  const yml = ["services:"];
  for (let s = 0; s < SERVICES; s++) {
    yml.push(`  ${serviceName(s)}:`, `    path: services/${serviceName(s)}`, `    build: ${build}`, "    template: .sprout/template.json");
    if (s > 0) yml.push(`    dependsOn: [${serviceName(Math.floor((s - 1) / 2))}]`);
  }
  files["sprout.yml"] = `${yml.join("\n")}\n`;
  return files;
}
