// The JSON the GET API answers, for client components. Type-only re-exports: nothing of lib/data
// (server-only) reaches the browser bundle.
export type { TBuildJson, TBuildDetailJson, TStepJson } from "@/lib/data/build-json";
export type { TAppListItem } from "@/lib/data/list-apps";
export type { TAppDetail, TServiceEdge, TServiceNode, TStageSummary } from "@/lib/data/get-app";
export type { TBuildPage } from "@/lib/data/list-builds";
export type { TBuildView } from "@/lib/data/get-build";
export type { TStageInfo } from "@/lib/data/get-stage";
export type { TLogLineJson, TLogPage } from "@/lib/data/list-log-lines";
export type { TRollbackPlan as TRollbackPlanJson } from "@/lib/operations/rollback";
export type { TRollbackState } from "@/lib/data/rollback-eligibility";
