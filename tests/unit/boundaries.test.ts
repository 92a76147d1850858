// The import boundaries of docs/architecture.md are lint rules: each wrong arrow below must fail
// `npm run lint`, and each right one pass. Linted as if the snippet were the file named.
import { ESLint } from "eslint";
import { beforeAll, describe, expect, test } from "vitest";

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId !== "@typescript-eslint/no-unused-vars").map((m) => `${m.ruleId}: ${m.message}`);
}

const use = (x: string) => `${x}\nexport const used = [x];\n`;

describe("import boundaries", () => {
  test.each([
    ["lib/core/x.ts", 'import { db as x } from "@/lib/server/db";', "lib/core imports only lib/core."],
    ["lib/core/x.ts", 'import { db as x } from "../server/db";', "lib/core imports only lib/core."],
    ["lib/core/planner/x.ts", 'import x from "../../../components/ui/button";', "lib/core imports only lib/core."],
    ["lib/core/x.ts", 'import x from "../../app/layout";', "lib/core imports only lib/core."],
    ["lib/core/x.ts", 'import x from "next/server";', "lib/core imports no framework, database or SDK."],
    ["lib/core/x.ts", 'import x from "node:fs";', "lib/core is pure TypeScript"],
    [
      "lib/server/x.ts",
      'import "server-only";\nimport { startWorker as x } from "@/lib/worker/start-worker";',
      "lib/server never imports the worker",
    ],
    [
      "lib/server/data/x.ts",
      'import "server-only";\nimport x from "../../../components/ui/button";',
      "lib/server never imports browser code or routes.",
    ],
    ["lib/server/x.ts", "export const x = 1;", 'lib/server files start with import "server-only"'],
    ["lib/worker/x.ts", 'import x from "next/server";', "The worker is a plain Node process"],
    ["lib/worker/x.ts", 'import x from "@/app/layout";', "The worker imports lib/server and lib/core only."],
    ["lib/client/x.ts", 'import { db as x } from "@/lib/server/db";', "lib/client never imports server code."],
    ["lib/client/hooks/x.ts", 'import x from "../../../app/layout";', "lib/client never imports server code."],
    ["components/x.tsx", 'import { db as x } from "@/lib/server/db";', "Components call server actions only"],
    ["components/x.tsx", 'import x from "@prisma/client";', "Components run in the browser: no Prisma."],
    ["app/x.tsx", 'import { startWorker as x } from "@/lib/worker/start-worker";', "Routes and pages never import the worker."],
    [
      "lib/server/x.ts",
      'import "server-only";\nexport const x = () => import("@/lib/worker/start-worker");',
      "A dynamic import() in lib/ loads",
    ],
    ["lib/core/x.ts", 'export const x = () => import("../client/format");', "A dynamic import() in lib/ loads"],
  ])("%s: %s is refused", async (file, code, message) => {
    const found = await problems(file, use(code));
    expect(found.join("\n")).toContain(message);
  });

  test.each([
    ["lib/core/x.ts", 'import { planBuild as x } from "@/lib/core/planner";'],
    ["lib/server/x.ts", 'import "server-only";\nimport { planBuild as x } from "@/lib/core/planner";'],
    ["lib/worker/x.ts", 'import { db as x } from "@/lib/server/db";'],
    ["components/x.tsx", 'import { rollbackAction as x } from "@/lib/server/actions/build-actions";'],
    ["lib/server/drivers/x.ts", 'import "server-only";\nexport const x = () => import("./cloudformation");'],
  ])("%s: %s is allowed", async (file, code) => {
    expect(await problems(file, use(code))).toEqual([]);
  });
});
