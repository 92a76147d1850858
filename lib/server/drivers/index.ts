import "server-only";
import type { TDriverName } from "@/lib/core/domain";
import { sandboxDriver } from "./sandbox";
import type { TDriver, TDriverStage } from "./types";

const drivers: Partial<Record<TDriverName, () => Promise<TDriver>>> = {
  sandbox: async () => sandboxDriver,
  // loaded on first use: a Sprout on the sandbox alone never loads the AWS SDK
  cloudformation: async () => (await import("./cloudformation")).cloudformationDriver,
};

/** A stage row as drivers see it. */
export function driverStage(s: {
  id: number;
  name: string;
  region: string | null;
  endpoint: string | null;
  accountId: string | null;
  templateBucket: string | null;
}): TDriverStage {
  return { id: s.id, name: s.name, region: s.region, endpoint: s.endpoint, accountId: s.accountId, templateBucket: s.templateBucket };
}

export async function driverFor(name: TDriverName): Promise<TDriver> {
  const load = drivers[name];
  if (!load) throw new Error(`The ${name} driver is not available in this version of Sprout.`);
  return load();
}
