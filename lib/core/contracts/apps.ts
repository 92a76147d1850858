// The JSON the API answers about apps and stages: the app list, one app's pipeline and dependency
// graph, a stage, and what a refresh from the account found.
import type { TDriverName } from "../domain";
import type { TLiveBuild } from "../live";
import type { TBuildJson } from "./builds";
import type { TPinJson } from "./release";

/** What a stage runs now: the build whose release is live (for a rollback, `releaseOf` the build it restored); null when nothing is deployed or no build's release matches (a build is changing it, or a refresh recorded outside changes). */
export type TLiveJson = TLiveBuild;

export interface TAppListItem {
  name: string;
  createdAt: string;
  services: number;
  stages: { name: string; latestBuild: TBuildJson | null }[];
}

/** `PATCH /api/apps/{app}` `{ prStages }`: pull requests build stage pr-{number}, copied from templateStage. */
export interface TPrStagesJson {
  enabled: boolean;
  templateStage: string;
  /** at most this many open PR stages; a new pull request past it gets no stage */
  limit: number;
}

/** A pull request's stage (pr-{number}): its number and title. */
export interface TPullRequestJson {
  number: number;
  title: string | null;
}

export interface TStageSummary {
  name: string;
  driver: TDriverName;
  position: number;
  region: string | null;
  /** the git branch it deploys (null: none) */
  branch: string | null;
  /** a push to `branch` builds it */
  autoDeploy: boolean;
  latestBuild: TBuildJson | null;
  live: TLiveJson | null;
  /** set on a pull request's stage: the pipeline shows those in a row of their own */
  pullRequest: TPullRequestJson | null;
  pinned: TPinJson | null;
}

/** A stage out of the pipeline (a closed pull request's, once its stacks were removed); its history is kept. */
export interface TArchivedStage {
  name: string;
  pullRequest: TPullRequestJson | null;
  archivedAt: string | null;
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
  /** the pipeline: archived stages are not in it */
  stages: TStageSummary[];
  archivedStages: TArchivedStage[];
  prStages: TPrStagesJson;
  /** null when no repository is connected */
  repository: { url: string } | null;
  services: TServiceNode[];
  edges: TServiceEdge[];
  /** what the services' graph could not read, e.g. a stage's AWS account (STS failed) */
  graphWarnings: string[];
}

/** GET /api/apps/{app}/stages/{stage} */
export interface TStageInfo {
  app: string;
  name: string;
  driver: TDriverName;
  region: string | null;
  /** set by an admin; a stage named prod is guarded whatever it says (lib/core/stages.ts) */
  protected: boolean;
  /** the git branch it deploys (null: none) */
  branch: string | null;
  /** a push to `branch` builds it */
  autoDeploy: boolean;
  /** out of the pipeline (a closed pull request's stage), its history kept */
  archived: boolean;
  pullRequest: TPullRequestJson | null;
  live: TLiveJson | null;
  latestBuild: TBuildJson | null;
  /** set by a successful rollback: pushes are skipped, deploys and promotes answer 423 until unpinned */
  pinned: TPinJson | null;
  /** deploy and promote builds wait for another deployer's approval */
  requireApproval: boolean;
  /** the next stage in the pipeline: where "Promote" sends a build by default */
  nextStage: string | null;
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

/** What the stage page's Deploy dialog offers. */
export interface TDeployOptions {
  /** the repository's URL; null when none is connected (Deploy then points at the settings page) */
  repository: string | null;
  /** the app's services, to deploy some of them */
  services: string[];
}
