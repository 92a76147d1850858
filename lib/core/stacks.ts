// Stacks belong to one app (docs/cloudformation.md, "Stack names and ownership"). A service's stack
// name in a stage is decided once, from the stage's pattern, and kept; the stacks Sprout creates
// carry tags naming their app, stage and service; a stack tagged for someone else, or one Sprout
// did not create and was not told to adopt, is never created over, updated, deleted or read.

export const DEFAULT_STACK_NAME_PATTERN = "{service}-{stage}";
const PLACEHOLDERS = ["{app}", "{service}", "{stage}"] as const;
/** CloudFormation's own rule for stack names. */
const STACK_NAME_RE = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/** Why a stackNamePattern is not usable; null when it is. */
export function checkStackNamePattern(pattern: string): string | null {
  const bare = PLACEHOLDERS.reduce((s, p) => s.replaceAll(p, "x"), pattern);
  if (/[{}]/.test(bare)) return `only {app}, {service} and {stage} may appear in braces (got "${pattern}")`;
  if (!/^[A-Za-z0-9-]+$/.test(bare)) return "may hold only letters, digits, dashes and {app}, {service}, {stage}";
  if (!pattern.includes("{service}")) return "must contain {service}: each service needs a stack of its own";
  if (!/^[A-Za-z{]/.test(pattern)) return "must start with a letter or a placeholder (CloudFormation stack names start with a letter)";
  return null;
}

export interface TStackOwner {
  app: string;
  stage: string;
  service: string;
}

/** A service's stack name from the stage's pattern (null: `{service}-{stage}`); throws when CloudFormation would refuse it. */
export function stackNameFrom(pattern: string | null, owner: TStackOwner): string {
  const name = (pattern ?? DEFAULT_STACK_NAME_PATTERN)
    .replaceAll("{app}", owner.app)
    .replaceAll("{service}", owner.service)
    .replaceAll("{stage}", owner.stage);
  if (!STACK_NAME_RE.test(name))
    throw new Error(
      `The stack name "${name}" of ${owner.service} in ${owner.stage} (pattern ${pattern ?? DEFAULT_STACK_NAME_PATTERN}) is not one CloudFormation accepts: it must start with a letter and hold at most 128 letters, digits and dashes. Set the stage's stackNamePattern so that it does.`,
    );
  return name;
}

/**
 * Where a stage's stacks live, as Sprout's claims on stack names key it: the endpoint (or real
 * AWS with the host's credentials, which every app shares) and the region, defaults resolved as
 * the driver resolves them. Null for the sandbox: its account is the stage's own, nobody else's.
 */
export function stackTarget(
  stage: { driver: string; endpoint: string | null; region: string | null },
  env: { endpoint?: string; region?: string },
): { target: string; region: string } | null {
  if (stage.driver !== "cloudformation") return null;
  const region = stage.region || env.region || "us-east-1";
  const endpoint = stage.endpoint || env.endpoint;
  return { target: endpoint ? `endpoint:${normalEndpoint(endpoint)}` : "aws", region };
}

/** One spelling per server: scheme, host (loopback names as "loopback"), port, path without its trailing slash. */
function normalEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    const host = /^(localhost\.?|.*\.localhost\.?|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(url.hostname) ? "loopback" : url.hostname;
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    return `${url.protocol}//${host}:${port}${url.pathname.replace(/\/+$/, "")}`;
  } catch {
    return endpoint.trim().toLowerCase();
  }
}

export const SPROUT_TAGS = { app: "sprout:app", stage: "sprout:stage", service: "sprout:service" } as const;

/** The tags Sprout puts on a stack it creates or updates, after the stack's other tags (kept as they are). */
export function stackTags(owner: TStackOwner, existing: { Key?: string; Value?: string }[] = []): { Key: string; Value: string }[] {
  const others = existing.filter((t) => t.Key && !t.Key.startsWith("sprout:")).map((t) => ({ Key: t.Key!, Value: t.Value ?? "" }));
  return [
    ...others,
    { Key: SPROUT_TAGS.app, Value: owner.app },
    { Key: SPROUT_TAGS.stage, Value: owner.stage },
    { Key: SPROUT_TAGS.service, Value: owner.service },
  ];
}

/** What the stage knows of a stack before touching it. */
export interface TStackGuard {
  owner: TStackOwner;
  /** Sprout's records already give this stack to this stage and service (its claim, or a deployment from before Sprout tagged stacks) */
  held: boolean;
  /** an app admin listed the service in the stage's adoptStacks: its existing stack may be taken over without Sprout's tags */
  adoptable: boolean;
}

export type TOwnership = { ok: true; adopted: boolean } | { ok: false; reason: string };

/** May this stage act on an existing stack with these tags? `adopted`: it takes over a stack Sprout did not create. */
export function stackOwnership(stackName: string, tags: Record<string, string>, guard: TStackGuard): TOwnership {
  const { owner } = guard;
  const who = `app "${owner.app}" (stage ${owner.stage}, service ${owner.service})`;
  const tagged = Object.values(SPROUT_TAGS).some((k) => k in tags);
  if (tagged) {
    const mine =
      tags[SPROUT_TAGS.app] === owner.app && tags[SPROUT_TAGS.stage] === owner.stage && tags[SPROUT_TAGS.service] === owner.service;
    if (mine) return { ok: true, adopted: false };
    const theirs = `app "${tags[SPROUT_TAGS.app] ?? "?"}" (stage ${tags[SPROUT_TAGS.stage] ?? "?"}, service ${tags[SPROUT_TAGS.service] ?? "?"})`;
    return {
      ok: false,
      reason: `Stack ${stackName} is tagged for ${theirs}, not for ${who}: Sprout does not create over, update, delete or read another app's stack. Give this stage a stackNamePattern with {app} (e.g. {app}-{service}-{stage}) so that its stacks have names of their own.`,
    };
  }
  if (guard.held) return { ok: true, adopted: false };
  if (guard.adoptable) return { ok: true, adopted: true };
  return {
    ok: false,
    reason: `Stack ${stackName} exists but Sprout did not create it for ${who} (it has no sprout:app tag). Sprout does not take over a stack it did not create: if this stack is really this service's, an app admin adds "${owner.service}" to the stage's adoptStacks setting (audited); otherwise give the stage a stackNamePattern that names its stacks apart.`,
  };
}
