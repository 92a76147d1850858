import "server-only";
import type { TSproutService } from "@/lib/core/source/sprout-yml";

// What a source build learned at its checkout, kept on the build (builds.source) so that a build
// resumed by another worker goes on from where it was: the commit, sprout.yml's services and this
// stage's parameters from it, which services are rebuilt and which reuse their live template.

export interface TSourceState {
  ref: string;
  services: string[] | null;
  force: boolean;
  /** fetched into the mirror before the ref is resolved: a pull request's head (refs/pull/7/head) */
  fetchRef?: string;
  /** set by the checkout */
  sha?: string;
  config?: TSproutService[];
  /** sprout.yml's parameter values for this stage, per service */
  parameters?: Record<string, Record<string, string>>;
  /** services rebuilt from source (a package step each) */
  rebuild?: string[];
  /** services not rebuilt: the digest of the live artifact whose template they keep */
  reuse?: Record<string, string>;
}

export const sourceOf = (build: { source: unknown }) => build.source as TSourceState | null;

export const workspaceId = (buildId: number) => `build-${buildId}`;
