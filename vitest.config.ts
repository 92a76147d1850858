import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["lib/**/*.test.ts", "tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        // lib/server files start with `import "server-only"`, which resolves to nothing under react-server
        resolve: { alias, conditions: ["react-server"] },
        ssr: { resolve: { conditions: ["react-server"], externalConditions: ["react-server"] } },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          setupFiles: ["tests/integration/setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          server: { deps: { inline: ["server-only"] } },
        },
      },
    ],
  },
});
