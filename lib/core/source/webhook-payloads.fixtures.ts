// Webhook deliveries shaped like the ones GitHub and GitLab document (trimmed of fields nothing
// reads), for the unit tests of lib/core/source/webhooks.ts.
import { GITHUB_HEADERS, signGithubBody } from "./webhooks";

export const SHA_A = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
export const SHA_B = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
export const ZERO = "0000000000000000000000000000000000000000";

// Shaped like GitHub's documented push payload (trimmed of fields nothing reads).
export const githubPush = (over: Record<string, unknown> = {}) => ({
  ref: "refs/heads/main",
  before: SHA_B,
  after: SHA_A,
  repository: { id: 186853002, name: "notes", full_name: "acme/notes", default_branch: "main" },
  pusher: { name: "ada", email: "ada@example.com" },
  sender: { login: "ada", id: 21031067, type: "User" },
  created: false,
  deleted: false,
  forced: false,
  base_ref: null,
  compare: `https://github.com/acme/notes/compare/${SHA_B.slice(0, 12)}...${SHA_A.slice(0, 12)}`,
  commits: [{ id: SHA_A, tree_id: SHA_B, distinct: true, message: "Bill purchases\n\nWith SNS.", timestamp: "2024-05-01T10:00:00+02:00" }],
  head_commit: {
    id: SHA_A,
    tree_id: SHA_B,
    distinct: true,
    message: "Bill purchases\n\nWith SNS.",
    timestamp: "2024-05-01T10:00:00+02:00",
    url: `https://github.com/acme/notes/commit/${SHA_A}`,
    author: { name: "Ada Lovelace", email: "ada@example.com", username: "ada" },
    committer: { name: "GitHub", email: "noreply@github.com", username: "web-flow" },
    added: [],
    removed: [],
    modified: ["services/billing-api/handler.ts"],
  },
  ...over,
});

export const githubPull = (action: string, over: Record<string, unknown> = {}) => ({
  action,
  number: 7,
  pull_request: {
    url: "https://api.github.com/repos/acme/notes/pulls/7",
    number: 7,
    state: action === "closed" ? "closed" : "open",
    title: "Add purchases topic",
    user: { login: "ada" },
    merged: false,
    draft: false,
    head: { label: "ada:topic", ref: "topic", sha: SHA_A, repo: { full_name: "ada/notes" } },
    base: { label: "acme:main", ref: "main", sha: SHA_B, repo: { full_name: "acme/notes" } },
    ...over,
  },
  repository: { full_name: "acme/notes" },
  sender: { login: "ada" },
});

// Shaped like GitLab's documented Push Hook and Merge Request Hook payloads.
export const gitlabPush = (over: Record<string, unknown> = {}) => ({
  object_kind: "push",
  event_name: "push",
  before: SHA_B,
  after: SHA_A,
  ref: "refs/heads/main",
  ref_protected: true,
  checkout_sha: SHA_A,
  user_id: 4,
  user_name: "John Smith",
  user_username: "jsmith",
  project_id: 15,
  project: { id: 15, name: "Diaspora", path_with_namespace: "mike/diaspora", default_branch: "main" },
  commits: [
    {
      id: SHA_B,
      message: "Update translation",
      title: "Update translation",
      author: { name: "Jordi Mallach", email: "jordi@example.org" },
    },
    { id: SHA_A, message: "fixed readme\n", title: "fixed readme", author: { name: "GitLab dev user", email: "gitlabdev@example.com" } },
  ],
  total_commits_count: 2,
  ...over,
});

export const gitlabMerge = (action: string | undefined, over: Record<string, unknown> = {}) => ({
  object_kind: "merge_request",
  event_type: "merge_request",
  user: { id: 1, name: "Administrator", username: "root" },
  project: { id: 1, name: "Gitlab Test", path_with_namespace: "gitlabhq/gitlab-test" },
  object_attributes: {
    id: 99,
    iid: 12,
    target_branch: "main",
    source_branch: "ms-viewport",
    source_project_id: 14,
    title: "MS-Viewport",
    state: "opened",
    merge_status: "unchecked",
    target_project_id: 14,
    last_commit: {
      id: SHA_A,
      message: "fixed readme",
      title: "Update file README.md",
      author: { name: "GitLab dev user", email: "gitlabdev@example.com" },
    },
    action,
    ...over,
  },
  changes: {},
});

/** What a route does: raw bytes in, signature checked on those bytes, then JSON parsed. */
export function deliver(payload: unknown, secret = "It's a Secret to Everybody") {
  const raw = new TextEncoder().encode(JSON.stringify(payload));
  const headers = {
    [GITHUB_HEADERS.signature]: signGithubBody(secret, raw),
    [GITHUB_HEADERS.delivery]: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  };
  return { raw, headers, body: JSON.parse(new TextDecoder().decode(raw)) as unknown };
}
