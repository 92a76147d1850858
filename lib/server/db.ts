import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { timedQuery } from "@/lib/server/timing";

// One Prisma client per process (Next's dev server reloads modules; keep it on globalThis).
const globalForPrisma = globalThis as unknown as { sproutPrisma?: PrismaClient };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set: start Sprout with `npm start` (embedded PostgreSQL) or set DATABASE_URL to a PostgreSQL server.",
    );
  }
  return url;
}

function client(): PrismaClient {
  return (globalForPrisma.sproutPrisma ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl(), max: Number(process.env.SPROUT_DB_POOL ?? 10) }),
  }).$extends({
    // each query's time counts towards its request's Server-Timing (lib/server/timing.ts)
    query: { $allOperations: ({ args, query }) => timedQuery(() => query(args)) },
  }) as unknown as PrismaClient);
}

// Created on first use, not at import: `next build` imports route modules without a database.
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const real = client();
    const value = Reflect.get(real, prop, real);
    return typeof value === "function" ? value.bind(real) : value;
  },
});

export type { Prisma, Stage } from "@/lib/generated/prisma/client";
