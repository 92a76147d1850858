// Webhooks from GitHub and GitLab: the signature (the only credential a webhook carries), checked
// in constant time, and the event turned into one normalized shape. Pure but for node:crypto.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** Header names as Node and fetch's Headers give them (lowercase). */
export const GITHUB_HEADERS = { event: "x-github-event", delivery: "x-github-delivery", signature: "x-hub-signature-256" } as const;
export const GITLAB_HEADERS = {
  event: "x-gitlab-event",
  /** the same on every retry of an event (newer GitLab versions) */
  idempotencyKey: "idempotency-key",
  /** older GitLab's id of an event; a retry may carry a new one */
  delivery: "x-gitlab-event-uuid",
  token: "x-gitlab-token",
} as const;

/**
 * The key that makes a delivery a replay of an earlier one: GitHub's X-GitHub-Delivery (kept on a
 * redelivery); GitLab's Idempotency-Key, else its X-Gitlab-Event-UUID. null when the headers carry
 * none of them.
 */
export function deliveryKey(provider: "github" | "gitlab", header: (name: string) => string | null): string | null {
  const names = provider === "github" ? [GITHUB_HEADERS.delivery] : [GITLAB_HEADERS.idempotencyKey, GITLAB_HEADERS.delivery];
  for (const name of names) {
    const value = header(name)?.trim();
    if (value) return value.slice(0, 200);
  }
  return null;
}

export type TVerifyResult = { ok: true } | { ok: false; reason: string };

/** A new webhook secret: 32 random bytes, base64url (43 characters), fit for GitHub and GitLab. */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString("base64url");
}

const toBytes = (body: Uint8Array | string) => (typeof body === "string" ? Buffer.from(body, "utf8") : body);

/** The X-Hub-Signature-256 value GitHub sends for `body` (used by tests and to replay a delivery). */
export function signGithubBody(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac("sha256", secret).update(toBytes(body)).digest("hex")}`;
}

/**
 * Checks GitHub's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`. `body` must be
 * the raw bytes received (e.g. `new Uint8Array(await request.arrayBuffer())`), never re-serialized
 * JSON. The comparison takes the same time whatever the header holds.
 */
export function verifyGithubSignature(input: {
  secret: string;
  body: Uint8Array | string;
  signature: string | null | undefined;
}): TVerifyResult {
  if (!input.secret) return { ok: false, reason: "the app has no webhook secret: connect the repository again to make one" };
  const header = input.signature?.trim();
  if (!header)
    return {
      ok: false,
      reason: "the X-Hub-Signature-256 header is missing: set the webhook's secret on GitHub to the app's webhook secret",
    };
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header);
  if (!m) return { ok: false, reason: "the X-Hub-Signature-256 header must be sha256=<64 hex digits>" };
  const expected = createHmac("sha256", input.secret).update(toBytes(input.body)).digest();
  if (!timingSafeEqual(expected, Buffer.from(m[1]!, "hex")))
    return {
      ok: false,
      reason:
        "the X-Hub-Signature-256 header does not match the body: the webhook's secret on GitHub differs from the app's, or the body was altered",
    };
  return { ok: true };
}

/** Checks GitLab's `X-Gitlab-Token` (the secret itself). Digests are compared so that its length does not leak. */
export function verifyGitlabToken(input: { secret: string; token: string | null | undefined }): TVerifyResult {
  if (!input.secret) return { ok: false, reason: "the app has no webhook secret: connect the repository again to make one" };
  if (!input.token)
    return {
      ok: false,
      reason: "the X-Gitlab-Token header is missing: set the webhook's secret token on GitLab to the app's webhook secret",
    };
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  if (!timingSafeEqual(digest(input.token), digest(input.secret)))
    return {
      ok: false,
      reason: "the X-Gitlab-Token header does not match the app's webhook secret: update the webhook's secret token on GitLab",
    };
  return { ok: true };
}

// --- normalized events ---------------------------------------------------------------------------

export interface TWebhookCommit {
  sha: string;
  message: string;
  /** "Name <email>", or null when the payload names nobody. */
  author: string | null;
}

export type TPullRequestAction = "opened" | "reopened" | "synchronize" | "closed";

export type TWebhookEvent =
  | { kind: "ping" }
  | {
      kind: "push";
      branch: string;
      /** The sha the branch points to after the push. */
      after: string;
      /** null when the push created the branch. */
      before: string | null;
      /** null when the payload does not carry it (e.g. GitLab, a branch pushed with no new commit): read it from the mirror. */
      headCommit: TWebhookCommit | null;
    }
  | {
      kind: "pull_request";
      action: TPullRequestAction;
      number: number;
      title: string;
      /** The source branch (on a fork, the fork's branch: fetch `fetchRef` rather than this). */
      headRef: string;
      headSha: string;
      /** Only for "closed": whether it was merged. */
      merged: boolean;
      /** The ref the host keeps for the head in the base repository: refs/pull/N/head or refs/merge-requests/N/head. */
      fetchRef: string;
    }
  | { kind: "ignored"; reason: string };

/** A signed delivery whose body does not have the shape its event promises (answer it 400). */
export class WebhookPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookPayloadError";
  }
}

const ZERO_SHA = /^0+$/;
const ZSha = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, "must be a full commit sha (40 hex digits)");
const ZAuthor = z.object({ name: z.string().optional(), email: z.string().optional() }).nullish();
const ZCommit = z.object({ id: ZSha, message: z.string(), author: ZAuthor });
const MAX_MESSAGE = 5000;

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.length ? issue.path.map(String).join(".") : "body";
  throw new WebhookPayloadError(`${what} payload: ${field}: ${issue.message}`);
}

function commitOf(c: z.infer<typeof ZCommit>): TWebhookCommit {
  const name = c.author?.name?.trim();
  const email = c.author?.email?.trim();
  const author = name && email ? `${name} <${email}>` : name || (email ? `<${email}>` : null);
  return { sha: c.id, message: c.message.slice(0, MAX_MESSAGE), author };
}

/** A push's ref as a branch, or the reason it builds nothing. */
function branchOf(ref: string, after: string, deleted: boolean): { branch: string } | { ignored: string } {
  if (ref.startsWith("refs/tags/")) return { ignored: `push to a tag (${ref.slice("refs/tags/".length)})` };
  if (!ref.startsWith("refs/heads/")) return { ignored: `push to ${ref}, which is not a branch` };
  const branch = ref.slice("refs/heads/".length);
  if (deleted || ZERO_SHA.test(after)) return { ignored: `branch ${branch} was deleted` };
  return { branch };
}

const ZGithubPush = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string().regex(/^[0-9a-f]{40,64}$/, "must be a commit sha"),
  deleted: z.boolean().optional(),
  head_commit: ZCommit.nullish(),
});
const ZGithubPull = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({ title: z.string(), merged: z.boolean().nullish(), head: z.object({ ref: z.string(), sha: ZSha }) }),
});
const GITHUB_ACTIONS = new Set<string>(["opened", "reopened", "synchronize", "closed"]);

/** Turns a GitHub delivery (`X-GitHub-Event` and its parsed JSON body) into a normalized event. */
export function parseGithubEvent(event: string | null | undefined, body: unknown): TWebhookEvent {
  switch (event) {
    case "ping":
      return { kind: "ping" };
    case "push": {
      const p = parse(ZGithubPush, body, "GitHub push");
      const ref = branchOf(p.ref, p.after, p.deleted ?? false);
      if ("ignored" in ref) return { kind: "ignored", reason: ref.ignored };
      if (!ZSha.safeParse(p.after).success)
        throw new WebhookPayloadError("GitHub push payload: after: must be a full commit sha (40 hex digits)");
      return {
        kind: "push",
        branch: ref.branch,
        after: p.after,
        before: ZERO_SHA.test(p.before) ? null : p.before,
        headCommit: p.head_commit && p.head_commit.id === p.after ? commitOf(p.head_commit) : null,
      };
    }
    case "pull_request": {
      const p = parse(ZGithubPull, body, "GitHub pull_request");
      if (!GITHUB_ACTIONS.has(p.action)) return { kind: "ignored", reason: `pull_request action ${p.action} is not handled` };
      return {
        kind: "pull_request",
        action: p.action as TPullRequestAction,
        number: p.number,
        title: p.pull_request.title,
        headRef: p.pull_request.head.ref,
        headSha: p.pull_request.head.sha,
        merged: p.action === "closed" && p.pull_request.merged === true,
        fetchRef: `refs/pull/${p.number}/head`,
      };
    }
    case null:
    case undefined:
    case "":
      return { kind: "ignored", reason: "the X-GitHub-Event header is missing" };
    default:
      return { kind: "ignored", reason: `event ${event} is not handled` };
  }
}

const ZGitlabPush = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string().regex(/^[0-9a-f]{40,64}$/, "must be a commit sha"),
  commits: z.array(ZCommit).nullish(),
});
const ZGitlabMerge = z.object({
  object_attributes: z.object({
    iid: z.number().int().positive(),
    title: z.string(),
    action: z.string().nullish(),
    source_branch: z.string(),
    oldrev: z.string().nullish(),
    last_commit: ZCommit,
  }),
});
const GITLAB_ACTIONS: Record<string, TPullRequestAction> = {
  open: "opened",
  reopen: "reopened",
  update: "synchronize",
  close: "closed",
  merge: "closed",
};

/** Turns a GitLab delivery (`X-Gitlab-Event` and its parsed JSON body) into a normalized event. */
export function parseGitlabEvent(event: string | null | undefined, body: unknown): TWebhookEvent {
  switch (event) {
    case "Push Hook": {
      const p = parse(ZGitlabPush, body, "GitLab Push Hook");
      const ref = branchOf(p.ref, p.after, false);
      if ("ignored" in ref) return { kind: "ignored", reason: ref.ignored };
      if (!ZSha.safeParse(p.after).success)
        throw new WebhookPayloadError("GitLab Push Hook payload: after: must be a full commit sha (40 hex digits)");
      const head = p.commits?.find((c) => c.id === p.after);
      return {
        kind: "push",
        branch: ref.branch,
        after: p.after,
        before: ZERO_SHA.test(p.before) ? null : p.before,
        headCommit: head ? commitOf(head) : null,
      };
    }
    case "Tag Push Hook":
      return { kind: "ignored", reason: "push to a tag" };
    case "Merge Request Hook": {
      const mr = parse(ZGitlabMerge, body, "GitLab Merge Request Hook").object_attributes;
      const action = mr.action ? GITLAB_ACTIONS[mr.action] : undefined;
      if (!action) return { kind: "ignored", reason: `merge request action ${mr.action ?? "(none)"} is not handled` };
      // "update" also fires for a new title, label or approval: only new commits (oldrev) rebuild.
      if (mr.action === "update" && !mr.oldrev) return { kind: "ignored", reason: "merge request updated without new commits" };
      return {
        kind: "pull_request",
        action,
        number: mr.iid,
        title: mr.title,
        headRef: mr.source_branch,
        headSha: mr.last_commit.id,
        merged: mr.action === "merge",
        fetchRef: `refs/merge-requests/${mr.iid}/head`,
      };
    }
    case null:
    case undefined:
    case "":
      return { kind: "ignored", reason: "the X-Gitlab-Event header is missing" };
    default:
      return { kind: "ignored", reason: `event ${event} is not handled` };
  }
}
