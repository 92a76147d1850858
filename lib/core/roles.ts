// Roles per app, what each may do, and the sentence that says why not. Pure and import-free: the
// server (lib/authz) refuses with these words and the browser disables buttons with the same ones.

export const ROLES = ["viewer", "deployer", "admin"] as const;
export type TRole = (typeof ROLES)[number];

/** Each role includes the ones before it. */
export function roleAtLeast(role: TRole | null, needed: TRole): boolean {
  return role !== null && ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** What the dashboard and the API offer, the role each needs, and how the refusal names it. */
export const PERMISSIONS = {
  view: { role: "viewer", noun: "viewing", doing: "viewing it" },
  deploy: { role: "deployer", noun: "deploying", doing: "deploying" },
  rollback: { role: "deployer", noun: "rollback", doing: "rolling back" },
  cancel: { role: "deployer", noun: "cancel", doing: "canceling a build" },
  redeploy: { role: "deployer", noun: "redeploy", doing: "redeploying" },
  promote: { role: "deployer", noun: "promote", doing: "promoting" },
  approve: { role: "deployer", noun: "approving builds", doing: "approving or rejecting a build" },
  unpin: { role: "deployer", noun: "unpin", doing: "unpinning a stage" },
  settings: { role: "admin", noun: "changing stage settings", doing: "changing stage settings" },
  addStage: { role: "admin", noun: "adding a stage", doing: "adding a stage" },
  refresh: { role: "admin", noun: "refresh from account", doing: "refreshing from the account" },
  members: { role: "admin", noun: "managing members", doing: "managing members" },
  tokens: { role: "admin", noun: "managing tokens", doing: "managing tokens" },
  repository: { role: "admin", noun: "connecting the repository", doing: "connecting the repository" },
  variables: { role: "admin", noun: "changing variables", doing: "changing stage variables" },
  appSettings: { role: "admin", noun: "changing app settings", doing: "changing app settings" },
  notifications: { role: "admin", noun: "managing notifications", doing: "managing notifications" },
} as const satisfies Record<string, { role: TRole; noun: string; doing: string }>;
export type TPermission = keyof typeof PERMISSIONS;

/** A stage's endpoint is not a per-app permission: only an instance admin sets it. */
export const ENDPOINT_ADMIN_ONLY =
  "Only an instance admin may set or change a stage's endpoint: Sprout sends requests signed with the host's AWS credentials there.";

const roleOn = (app: string, role: TRole | null) => (role ? `Your role on ${app} is ${role}` : `You have no role on ${app}`);

/** The server's refusal: "Your role on notes is viewer; rolling back needs deployer." */
export function forbiddenMessage(app: string, role: TRole | null, needed: TRole, doing: string): string {
  return `${roleOn(app, role)}; ${doing} needs ${needed}.`;
}

/** What the viewer of a page may do on its app: `why` is null when allowed. */
export interface TAccess {
  app: string;
  role: TRole | null;
}

export function permit(access: TAccess, what: TPermission): { can: boolean; why: string | null } {
  const p = PERMISSIONS[what];
  if (roleAtLeast(access.role, p.role)) return { can: true, why: null };
  return { can: false, why: `${roleOn(access.app, access.role)}: ${p.noun} needs ${p.role}` };
}

/** "user:jay@example.com" -> "jay@example.com", "token:ci-deploy" -> "token ci-deploy"; older labels as they are. */
export function actorLabel(triggeredBy: string): string {
  if (triggeredBy.startsWith("user:")) return triggeredBy.slice(5);
  if (triggeredBy.startsWith("token:")) return `token ${triggeredBy.slice(6)}`;
  return triggeredBy;
}
