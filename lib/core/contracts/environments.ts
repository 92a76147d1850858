// The JSON of environments: a stage's variables (a secret's value is never answered), an app's
// pull-request stage settings, and what reading a repository's sprout.yml found before an app exists.
import type { TServiceEdge, TServiceNode } from "./apps";

export interface TVariableJson {
  name: string;
  secret: boolean;
  /** absent for a secret: its value is never answered once written */
  value?: string;
  updatedAt: string;
  /** the actor's label, as the audit names them */
  updatedBy: string;
}

/** A problem in sprout.yml, where it is. */
export interface TSproutYmlProblem {
  file: string;
  line: number | null;
  field: string | null;
  message: string;
}

/** `POST /api/apps/preview` (and the New app page): what an app made from this repository would hold. */
export interface TAppPreview {
  repository: { url: string; defaultBranch: string; commit: { sha: string; message: string; author: string } };
  /** null when sprout.yml is missing or has problems (then `problems` says which) */
  services: (TServiceNode & { path: string; build: string | null })[] | null;
  edges: TServiceEdge[];
  problems: TSproutYmlProblem[];
}
