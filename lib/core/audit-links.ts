// Where an audit entry's target lives, so the audit page can link it. Pure: shared by the page and its test.
import { SLUG_RE } from "./domain";

/** Settings of a stage, by the card an entry changed (the ids of the settings cards' headings; a stage update may touch several). */
const STAGE_SETTINGS: Record<string, string> = {
  "stage.update": "",
  "stage.parameters": "templates-title",
  "stack.adopt": "target-title",
  "variable.set": "variables-title",
  "variable.delete": "variables-title",
  "notification.create": "notifications-title",
  "notification.delete": "notifications-title",
  "notification.test": "notifications-title",
};

const hash = (id: string) => (id ? `#${id}` : "");

/** Settings of the app, by card. */
const APP_SETTINGS: Record<string, string> = {
  "app.update": "pr-stages-title",
  "repository.connect": "repository-title",
  "repository.secret": "repository-title",
  "repository.disconnect": "repository-title",
  "member.add": "members-title",
  "member.update": "members-title",
  "member.remove": "members-title",
  "token.create": "tokens-title",
  "token.revoke": "tokens-title",
};

/**
 * The page an audit entry's target is on: a build ("prod #12"), a stage's settings ("prod billing-api"
 * for its parameters, "prod API_URL" for a variable), a stage ("prod"), the app's settings, or the
 * app. Null when the target names nothing Sprout shows (or a stage name that cannot be one).
 */
export function auditTargetHref(app: string, e: { action: string; target: string }): string | null {
  const base = `/apps/${encodeURIComponent(app)}`;
  const build = /^(\S+) #(\d+)$/.exec(e.target);
  if (build && SLUG_RE.test(build[1]!)) return `${base}/stages/${build[1]}/builds/${build[2]}`;
  if (Object.hasOwn(APP_SETTINGS, e.action)) return `${base}/settings#${APP_SETTINGS[e.action]}`;
  if (e.action === "app.create") return base;
  // the stage is the target's first word: "prod", "prod billing-api", "prod webhook ops"
  const stage = e.target.split(" ", 1)[0]!;
  if (!SLUG_RE.test(stage)) return null;
  if (Object.hasOwn(STAGE_SETTINGS, e.action)) return `${base}/stages/${stage}/settings${hash(STAGE_SETTINGS[e.action]!)}`;
  if (e.action.startsWith("stage.")) return `${base}/stages/${stage}`;
  return null;
}
