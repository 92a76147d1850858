// Stage rules the browser and the server share. Pure.

/** A stage named prod, or one an admin marked protected: its rollback dialog opens on Cancel, never Confirm. */
export function isGuardedStage(stage: { name: string; protected: boolean }): boolean {
  return stage.protected || stage.name === "prod";
}

/** An app's pull-request stage settings as the API answers them. */
export const prStagesJson = (a: { prStagesEnabled: boolean; prTemplateStage: string; prStageLimit: number }) => ({
  enabled: a.prStagesEnabled,
  templateStage: a.prTemplateStage,
  limit: a.prStageLimit,
});
