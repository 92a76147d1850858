import "server-only";
import { db } from "@/lib/server/db";
import type { TInstanceSettings } from "@/lib/core/validation";
import { requireInstanceAdmin, type TActor } from "@/lib/server/auth/authz";
import { recordAudit } from "@/lib/server/data/audit";
import { BUILDS_PER_APP_KEY, buildsPerAppSetting, liveWorkers } from "@/lib/server/data/instance-settings";
import { buildsPerApp } from "@/lib/core/workers";

// The instance's settings, for instance admins: how many builds of one app may run at once.

export async function getInstanceSettings({ actor }: { actor: TActor }) {
  requireInstanceAdmin(actor, "Reading the instance's settings");
  const [setting, pool] = await Promise.all([buildsPerAppSetting(), liveWorkers()]);
  return {
    settings: { buildsPerApp: setting },
    /** what applies now: the setting, else half the live pool */
    effective: { buildsPerApp: buildsPerApp({ setting, poolSlots: pool.slots }), poolSlots: pool.slots, workers: pool.count },
  };
}

export async function updateInstanceSettings({ actor, input }: { actor: TActor; input: TInstanceSettings }) {
  requireInstanceAdmin(actor, "Changing the instance's settings");
  await db.$transaction(async (tx) => {
    if (input.buildsPerApp === null) await tx.setting.deleteMany({ where: { key: BUILDS_PER_APP_KEY } });
    else {
      const value = String(input.buildsPerApp);
      await tx.setting.upsert({ where: { key: BUILDS_PER_APP_KEY }, create: { key: BUILDS_PER_APP_KEY, value }, update: { value } });
    }
    await recordAudit(tx, { appId: null, actor: actor.label, action: "instance.update", target: "instance", detail: input });
  });
  return getInstanceSettings({ actor });
}
