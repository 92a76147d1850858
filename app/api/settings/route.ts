import { withActor } from "@/lib/server/http";
import { ZInstanceSettings } from "@/lib/core/validation";
import { getInstanceSettings, updateInstanceSettings } from "@/lib/server/operations/instance-settings";

/** The instance's settings and what applies now (instance admins). */
export const GET = withActor(({ actor }) => getInstanceSettings({ actor }));

/** `{ "buildsPerApp": 3 }`, or null for half the live workers' slots (instance admins; audited). */
export const PATCH = withActor(({ actor, body }) => updateInstanceSettings({ actor, input: body }), { body: ZInstanceSettings });
