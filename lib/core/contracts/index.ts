// The API's JSON contracts: what the server answers and the browser reads. Types only.
export type * from "./access";
export type * from "./apps";
export type * from "./builds";
export type * from "./environments";
export type * from "./release";
/** The old name of the rollback plan's JSON, kept for the UI. */
export type { TRollbackPlan as TRollbackPlanJson } from "./builds";
