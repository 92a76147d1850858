"use server";
import "server-only";

import { z } from "zod";
import { ZSlug, ZSourceDeploy } from "@/lib/core/validation";
import { deploySource } from "@/lib/server/operations/deploy-source";
import { connectRepository, disconnectRepository, rotateWebhookSecret } from "@/lib/server/operations/repository";
import { appAction } from "./app-action";

// Builds from git in the dashboard: the app's repository (settings page, admins) and the Deploy
// button (stage page, deployers). Each calls the operation the API's route calls.
const ZApp = z.object({ app: ZSlug });

/** The webhook secret is answered this once, for the admin to paste into GitHub or GitLab. */
export const connectRepositoryAction = appAction(ZApp.extend({ url: z.string().max(2048) }), "repository", ({ app, actor }, { url }) =>
  connectRepository({ app, url, actor }),
);

export const rotateWebhookSecretAction = appAction(ZApp, "repository", ({ app, actor }) => rotateWebhookSecret({ app, actor }));

export const disconnectRepositoryAction = appAction(ZApp, "repository", ({ app, actor }) => disconnectRepository({ app, actor }));

export const deploySourceAction = appAction(
  ZApp.extend({ stage: ZSlug }).extend(ZSourceDeploy.shape),
  "deploy",
  async ({ app, actor }, { stage, ...input }) => {
    const build = await deploySource({ app, stage, input, actor });
    return { number: build.number };
  },
);
