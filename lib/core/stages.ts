// Stage rules the browser and the server share. Pure.

/** A stage named prod, or one an admin marked protected: its rollback dialog opens on Cancel, never Confirm. */
export function isGuardedStage(stage: { name: string; protected: boolean }): boolean {
  return stage.protected || stage.name === "prod";
}
