import "server-only";
import type { TDriverName } from "@/lib/domain";
import { sandboxDriver } from "./sandbox";
import type { TDriver } from "./types";

const drivers: Partial<Record<TDriverName, () => Promise<TDriver>>> = {
  sandbox: async () => sandboxDriver,
};

export async function driverFor(name: TDriverName): Promise<TDriver> {
  const load = drivers[name];
  if (!load) throw new Error(`The ${name} driver is not available in this version of Sprout.`);
  return load();
}
