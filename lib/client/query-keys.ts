// The one factory of react-query keys. Keys nest, so invalidating a prefix reaches everything under
// it: `app(a)` covers the app page and all its stages; `stage(a, s)` the history, builds and logs.
export const queryKeys = {
  appList: () => ["app-list"] as const,
  app: (app: string) => ["app", app] as const,
  stage: (app: string, stage: string) => ["app", app, "stage", stage] as const,
  stageInfo: (app: string, stage: string) => [...queryKeys.stage(app, stage), "info"] as const,
  builds: (app: string, stage: string) => [...queryKeys.stage(app, stage), "builds"] as const,
  /** one filtered history (filterParams of lib/core/history-filters: {} for none) */
  buildsFiltered: (app: string, stage: string, filters: Record<string, string>) => [...queryKeys.builds(app, stage), filters] as const,
  build: (app: string, stage: string, number: number) => [...queryKeys.stage(app, stage), "build", number] as const,
  rollbackPlan: (app: string, stage: string, number: number, services: string[] = []) =>
    [...queryKeys.build(app, stage, number), "rollback-plan", services.join(",")] as const,
  promotePlan: (app: string, stage: string, number: number, to: string) =>
    [...queryKeys.build(app, stage, number), "promote-plan", to] as const,
  notifications: (app: string, stage: string) => [...queryKeys.stage(app, stage), "notifications"] as const,
  deliveries: (app: string, stage: string, id: number) => [...queryKeys.notifications(app, stage), id, "deliveries"] as const,
  logs: (app: string, stage: string, number: number, step: string) => [...queryKeys.build(app, stage, number), "logs", step] as const,
};
