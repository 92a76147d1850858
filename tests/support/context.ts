// What routes and actions hand operations, for tests that call operations directly: the app as the
// boundary looks it up (with its 404), and an actor the audit names "test".
import { getAppByName } from "@/lib/server/data/lookup";
import type { TActor, TAppRef } from "@/lib/server/context";

export const TEST_ACTOR: TActor = { kind: "token", id: 0, name: "test", appId: null, role: "admin", label: "test" };

export async function appRef(name: string): Promise<TAppRef> {
  const row = await getAppByName(name);
  return { id: row.id, name: row.name };
}

/** For tests that drive a driver directly: the stack is this app's stage's service's, as Sprout's records would say. */
export const heldGuard = (app: string, stage: string, service: string) => ({
  owner: { app, stage, service },
  held: true,
  adoptable: false,
});
