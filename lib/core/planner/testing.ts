// Shapes the planner's table tests share: services, steps, warnings and refusals as planBuild returns them.
import type { TServiceMap, TServiceState } from "@/lib/core/domain";
import type { TPlannedStep, TPlanWarning } from ".";

export const TOPIC = "ExtNotePurchasedTopicArn-prod";
type TRest = Partial<Omit<TServiceState, "artifact">>;
export const svc = (artifact: string, rest: TRest = {}): TServiceState => ({ artifact, exports: {}, imports: [], dependsOn: [], ...rest });
export const step = (service: string, action: TPlannedStep["action"], artifact: string | null, phase: number, after: string[] = []) =>
  ({ service, action, artifact, after, phase }) satisfies TPlannedStep;
export const ok = (steps: TPlannedStep[], warnings: TPlanWarning[] = []) => ({ ok: true, plan: { steps, warnings } });
/** A warning or an error: `exports` only when given, as the planner does. */
export const note = (code: string, message: string, services: string[], exports?: string[]) => ({
  code,
  message,
  services,
  ...(exports ? { exports } : {}),
});
export const refused = (code: string, services: string[], message: string, exports?: string[]) => ({
  ok: false,
  error: note(code, message, services, exports),
});

// The seed's two services as the faulty build left them, and as release #1 had them.
export const seedLive: TServiceMap = {
  "billing-api": svc("billing-2", { exports: { [TOPIC]: "Ref:NotePurchasedTopic" } }),
  "notify-job": svc("notify-2", { imports: [TOPIC] }),
};
export const seedRelease: TServiceMap = { "billing-api": svc("billing-1"), "notify-job": svc("notify-1") };
