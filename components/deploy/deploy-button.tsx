"use client";

import Link from "next/link";
import type { TDeployOptions } from "@/lib/core/contracts";
import { SMALL_BUTTON_BASE } from "@/components/ui/button";
import { DialogButton } from "@/components/ui/dialog-button";
import { DisabledAction } from "@/components/ui/disabled-action";
import { DeployDialog } from "./deploy-dialog";

export interface TDeployButtonProps {
  app: string;
  stage: string;
  /** the branch the stage tracks: the dialog's default */
  branch: string | null;
  /** Enter does not deploy (a protected stage, or prod) */
  guarded: boolean;
  options: TDeployOptions;
  can: boolean;
  why: string | null;
}

/**
 * Deploy from git: a branch or commit of the app's repository, some services or all. Deployers
 * only (the others see why); an app without a repository gets a link to connect one instead.
 */
export function DeployButton({ app, stage, branch, guarded, options, can, why }: TDeployButtonProps) {
  if (!can) return <DisabledAction label="Deploy" reason={why} testId="deploy-forbidden" />;
  if (!options.repository) {
    return (
      <Link
        href={`/apps/${app}/settings`}
        className={SMALL_BUTTON_BASE}
        data-testid="deploy-no-repository"
        title={`${app} has no repository to build from: connect one on the app's settings page.`}
      >
        Deploy: connect a repository first
      </Link>
    );
  }
  const repository = options.repository;
  return (
    <DialogButton
      label="Deploy"
      dialog={(close) => (
        <DeployDialog
          app={app}
          stage={stage}
          branch={branch}
          guarded={guarded}
          repository={repository}
          services={options.services}
          onClose={close}
        />
      )}
    />
  );
}
