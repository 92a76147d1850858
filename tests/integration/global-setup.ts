import type { TestProject } from "vitest/node";
import { migratedTemplate, testServer } from "../support/database";

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
    template: string;
  }
}

export default async function setup(project: TestProject) {
  const { url, embedded } = await testServer();
  project.provide("serverUrl", url);
  project.provide("template", await migratedTemplate(url, "sprout_it"));
  return async () => {
    await embedded?.stop();
  };
}
