import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma 7 no longer reads .env itself.
try {
  process.loadEnvFile(".env");
} catch {}

// Prisma's native schema engine is downloaded at install time; where that download cannot happen
// every prisma command fails. Then use our stand-in on Prisma's WebAssembly engine (prisma/engine).
const enginesDir = path.resolve("node_modules/@prisma/engines");
const hasNativeEngine = fs.existsSync(enginesDir) && fs.readdirSync(enginesDir).some((f) => f.startsWith("schema-engine-"));
if (!hasNativeEngine) process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("prisma/engine/schema-engine");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx --conditions=react-server prisma/demo.ts" },
  // env("DATABASE_URL") throws when it is unset, which would break `prisma generate` too
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
