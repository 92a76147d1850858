// The JSON the API answers about apps and stages: the app list, one app's pipeline and dependency
// graph, a stage, and what a refresh from the account found.
import type { TDriverName } from "../domain";
import type { TBuildJson } from "./builds";

export interface TAppListItem {
  name: string;
  createdAt: string;
  services: number;
  stages: { name: string; latestBuild: TBuildJson | null }[];
}

export interface TStageSummary {
  name: string;
  driver: TDriverName;
  position: number;
  region: string | null;
  latestBuild: TBuildJson | null;
}

export interface TServiceNode {
  name: string;
  /** the stage whose live artifact describes the service; null when it is live nowhere */
  liveIn: string | null;
  artifact: string | null;
  exports: string[];
  imports: string[];
  dependsOn: string[];
  /** why its template could not be read, if so */
  error: string | null;
}

/** `from` must be deployed before `to`: `to` imports `exports` of `from`, or lists it in dependsOn. */
export interface TServiceEdge {
  from: string;
  to: string;
  exports: string[];
  dependsOn: boolean;
}

export interface TAppDetail {
  name: string;
  createdAt: string;
  stages: TStageSummary[];
  services: TServiceNode[];
  edges: TServiceEdge[];
}

export interface TStageInfo {
  app: string;
  name: string;
  driver: TDriverName;
  region: string | null;
}

/** refused: the stack is another app's (or not Sprout's and not adopted): it was not read */
export type TDriftKind = "missing" | "changed" | "untracked" | "refused";

export interface TDrift {
  service: string;
  kind: TDriftKind;
  detail: string;
}

export interface TRefreshResult {
  drift: TDrift[];
  refreshedAt: string;
}

/** An app's repository: where it is, and the paths GitHub and GitLab post webhooks to. */
export interface TRepositoryJson {
  url: string;
  webhooks: { github: string; gitlab: string };
}
