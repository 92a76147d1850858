// ESLint: Next's rules (core web vitals, TypeScript), files under 400 lines, and the architecture's
// import boundaries (docs/architecture.md): a wrong arrow fails the lint. Import cycles are checked
// by scripts/check-cycles.ts (eslint-plugin-import's no-cycle took 30 s on this repository).
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier";

const nodeIo = ["fs", "node:fs", "fs/promises", "node:fs/promises", "net", "node:net", "child_process", "node:child_process"];
const restrict = (patterns, message) => ({ group: [...new Set(patterns)], message });
/** The same part reached by a relative path ("../server/db" from lib/core): cross-part imports use "@/lib/...". */
const relative = (...parts) => parts.flatMap((p) => [`../${p}/**`, `../../${p}/**`, `../../lib/${p}/**`, `../../../lib/${p}/**`]);
/** A folder of the repository however it is reached: "@/app/**" and "../app/**", "../../app/**"… */
const reach = (...folders) => folders.flatMap((f) => [`@/${f}/**`, ...[1, 2, 3, 4, 5].map((n) => `${"../".repeat(n)}${f}/**`)]);
/** lib/server but its actions, however reached. */
const serverButActions = ["", ...[1, 2, 3, 4, 5].map((n) => "../".repeat(n))].flatMap((up) => {
  const base = up ? `${up}lib/server` : "@/lib/server";
  return [`${base}/**`, `!${base}/actions`, `!${base}/actions/**`];
});

/** lib/server/** starts with `import "server-only"` (after a "use server" directive): Next then refuses it in a browser bundle. */
const serverOnlyFirst = {
  meta: { type: "problem", messages: { missing: 'lib/server files start with import "server-only" (after "use server" if any).' } },
  create(context) {
    return {
      Program(node) {
        const first = node.body.find((s) => !(s.type === "ExpressionStatement" && s.directive));
        const ok = first?.type === "ImportDeclaration" && first.source.value === "server-only" && first.specifiers.length === 0;
        if (!ok) context.report({ node: first ?? node, messageId: "missing" });
      },
    };
  },
};

/**
 * In lib/, a dynamic import() stays in its own folder ("./…"): no-restricted-imports does not see
 * import(), so a crossing between parts must be a static import, which the rules below check.
 */
const localDynamicImports = {
  meta: { type: "problem", messages: { crossing: 'A dynamic import() in lib/ loads "./…" only: import another part statically.' } },
  create(context) {
    return {
      ImportExpression(node) {
        const source = node.source;
        const local = source.type === "Literal" && typeof source.value === "string" && source.value.startsWith("./");
        if (!local) context.report({ node, messageId: "crossing" });
      },
    };
  },
};

const config = [
  {
    ignores: ["node_modules/", ".next/", ".data/", "lib/generated/", "next-env.d.ts", "test-results/", "playwright-report/", "bench/out/"],
  },
  ...nextVitals,
  ...nextTs,
  prettier,
  {
    plugins: { sprout: { rules: { "server-only-first": serverOnlyFirst, "local-dynamic-imports": localDynamicImports } } },
    rules: {
      "max-lines": ["error", { max: 400, skipBlankLines: false, skipComments: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["lib/**"],
    rules: { "sprout/local-dynamic-imports": "error" },
  },
  {
    // tests read JSON bodies of any shape
    files: ["tests/**", "e2e/**", "bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // the pure core: no database, framework, UI or I/O, and nothing of the other parts
    files: ["lib/core/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [...nodeIo, "pg", "next", "react", "react-dom", "server-only", "client-only", "graphile-worker"].map((name) => ({
            name,
            message: "lib/core is pure TypeScript: no database, framework, UI or file/network/process I/O.",
          })),
          patterns: [
            restrict(
              ["@/lib/server/**", "@/lib/client/**", "@/lib/worker/**", "@/lib/generated/**"].concat(
                relative("server", "client", "worker", "generated"),
                reach("components", "app"),
              ),
              "lib/core imports only lib/core.",
            ),
            restrict(["next/*", "@prisma/*", "@aws-sdk/*", "react/*"], "lib/core imports no framework, database or SDK."),
          ],
        },
      ],
    },
  },
  {
    files: ["lib/server/**"],
    rules: {
      "sprout/server-only-first": "error",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            restrict(["@/lib/worker/**", ...relative("worker")], "lib/server never imports the worker: the worker imports lib/server."),
            restrict(
              ["@/lib/client/**", ...relative("client"), ...reach("components", "app")],
              "lib/server never imports browser code or routes.",
            ),
          ],
        },
      ],
    },
  },
  {
    files: ["lib/worker/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["next", "react", "react-dom"].map((name) => ({ name, message: "The worker is a plain Node process: no Next or React." })),
          patterns: [
            restrict(["next/*"], "The worker is a plain Node process: no Next."),
            restrict(
              [...reach("app", "components", "lib/client"), ...relative("client")],
              "The worker imports lib/server and lib/core only.",
            ),
          ],
        },
      ],
    },
  },
  {
    files: ["lib/client/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [...nodeIo, "pg", "server-only"].map((name) => ({ name, message: "lib/client runs in the browser." })),
          patterns: [
            restrict(
              ["@/lib/server/**", "@/lib/worker/**", "@/lib/generated/**", ...relative("server", "worker", "generated"), ...reach("app")],
              "lib/client never imports server code.",
            ),
            restrict(["@prisma/*"], "lib/client runs in the browser."),
          ],
        },
      ],
    },
  },
  {
    // UI: server code reaches components only as server actions ("use server" functions)
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [...nodeIo, "pg"].map((name) => ({ name, message: "Components run in the browser." })),
          patterns: [
            restrict(serverButActions, "Components call server actions only; reads go through the API (lib/client)."),
            restrict(reach("lib/worker", "lib/generated", "app"), "Components never import the worker, Prisma or routes."),
            restrict(["@prisma/*"], "Components run in the browser: no Prisma."),
          ],
        },
      ],
    },
  },
  {
    files: ["app/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [restrict(reach("lib/worker"), "Routes and pages never import the worker.")] }],
    },
  },
];

export default config;
