import { describe, expect, it } from "vitest";
import { SHA_A, SHA_B, ZERO, deliver, githubPull, githubPush, gitlabMerge, gitlabPush } from "./webhook-payloads.fixtures";
import { WebhookPayloadError, parseGithubEvent, parseGitlabEvent } from "./webhooks";

describe("parseGithubEvent", () => {
  it.each([
    ["ping", "ping", { zen: "Keep it logically awesome.", hook_id: 30 }, { kind: "ping" }],
    [
      "a push to a branch",
      "push",
      githubPush(),
      {
        kind: "push",
        branch: "main",
        after: SHA_A,
        before: SHA_B,
        headCommit: { sha: SHA_A, message: "Bill purchases\n\nWith SNS.", author: "Ada Lovelace <ada@example.com>" },
      },
    ],
    [
      "a push that creates a branch with slashes",
      "push",
      githubPush({ ref: "refs/heads/feature/x", before: ZERO, created: true }),
      {
        kind: "push",
        branch: "feature/x",
        after: SHA_A,
        before: null,
        headCommit: { sha: SHA_A, message: "Bill purchases\n\nWith SNS.", author: "Ada Lovelace <ada@example.com>" },
      },
    ],
    [
      "a push with no head commit",
      "push",
      githubPush({ head_commit: null }),
      { kind: "push", branch: "main", after: SHA_A, before: SHA_B, headCommit: null },
    ],
    [
      "a tag",
      "push",
      githubPush({ ref: "refs/tags/v1.2.0", base_ref: "refs/heads/main" }),
      { kind: "ignored", reason: "push to a tag (v1.2.0)" },
    ],
    [
      "a deleted branch",
      "push",
      githubPush({ after: ZERO, deleted: true, head_commit: null }),
      { kind: "ignored", reason: "branch main was deleted" },
    ],
    [
      "another ref",
      "push",
      githubPush({ ref: "refs/notes/commits" }),
      { kind: "ignored", reason: "push to refs/notes/commits, which is not a branch" },
    ],
    ["another event", "issues", { action: "opened" }, { kind: "ignored", reason: "event issues is not handled" }],
    ["no event header", undefined, {}, { kind: "ignored", reason: "the X-GitHub-Event header is missing" }],
    [
      "a labeled pull request",
      "pull_request",
      githubPull("labeled"),
      { kind: "ignored", reason: "pull_request action labeled is not handled" },
    ],
  ])("%s", (_t, event, payload, expected) => {
    expect(parseGithubEvent(event, deliver(payload).body)).toEqual(expected);
  });

  it.each([
    ["opened", false, "opened", false],
    ["reopened", false, "reopened", false],
    ["synchronize", false, "synchronize", false],
    ["closed", false, "closed", false],
    ["closed", true, "closed", true],
  ] as const)("pull_request %s (merged %s)", (action, merged, expectedAction, expectedMerged) => {
    expect(parseGithubEvent("pull_request", deliver(githubPull(action, { merged })).body)).toEqual({
      kind: "pull_request",
      action: expectedAction,
      number: 7,
      title: "Add purchases topic",
      headRef: "topic",
      headSha: SHA_A,
      merged: expectedMerged,
      fetchRef: "refs/pull/7/head",
    });
  });

  it.each([
    ["push", { ref: "refs/heads/main", before: SHA_B }, "GitHub push payload: after: Invalid input: expected string, received undefined"],
    ["push", githubPush({ after: "abc" }), "GitHub push payload: after: must be a commit sha"],
    ["push", githubPush({ after: "a".repeat(50) }), "GitHub push payload: after: must be a full commit sha (40 hex digits)"],
    [
      "pull_request",
      githubPull("opened", { head: { ref: "x", sha: "nope" } }),
      "GitHub pull_request payload: pull_request.head.sha: must be a full commit sha (40 hex digits)",
    ],
    ["pull_request", "not json", "GitHub pull_request payload: body: Invalid input: expected object, received string"],
  ])("refuses a malformed %s payload", (event, payload, message) => {
    expect(() => parseGithubEvent(event, payload)).toThrow(new WebhookPayloadError(message));
  });
});

describe("parseGitlabEvent", () => {
  it.each([
    [
      "a push to a branch",
      "Push Hook",
      gitlabPush(),
      {
        kind: "push",
        branch: "main",
        after: SHA_A,
        before: SHA_B,
        headCommit: { sha: SHA_A, message: "fixed readme\n", author: "GitLab dev user <gitlabdev@example.com>" },
      },
    ],
    [
      "a new branch with no new commit",
      "Push Hook",
      gitlabPush({ before: ZERO, commits: [], total_commits_count: 0 }),
      { kind: "push", branch: "main", after: SHA_A, before: null, headCommit: null },
    ],
    [
      "a deleted branch",
      "Push Hook",
      gitlabPush({ after: ZERO, checkout_sha: null, commits: [] }),
      { kind: "ignored", reason: "branch main was deleted" },
    ],
    [
      "a tag push",
      "Tag Push Hook",
      gitlabPush({ object_kind: "tag_push", ref: "refs/tags/v1.0.0" }),
      { kind: "ignored", reason: "push to a tag" },
    ],
    ["an issue", "Issue Hook", { object_kind: "issue" }, { kind: "ignored", reason: "event Issue Hook is not handled" }],
    ["no event header", null, {}, { kind: "ignored", reason: "the X-Gitlab-Event header is missing" }],
    [
      "an approval",
      "Merge Request Hook",
      gitlabMerge("approved"),
      { kind: "ignored", reason: "merge request action approved is not handled" },
    ],
    [
      "an action-less hook",
      "Merge Request Hook",
      gitlabMerge(undefined),
      { kind: "ignored", reason: "merge request action (none) is not handled" },
    ],
    [
      "a title change",
      "Merge Request Hook",
      gitlabMerge("update"),
      { kind: "ignored", reason: "merge request updated without new commits" },
    ],
  ])("%s", (_t, event, payload, expected) => {
    expect(parseGitlabEvent(event, payload)).toEqual(expected);
  });

  it.each([
    ["open", {}, "opened", false],
    ["reopen", {}, "reopened", false],
    ["update", { oldrev: SHA_B }, "synchronize", false],
    ["close", { state: "closed" }, "closed", false],
    ["merge", { state: "merged" }, "closed", true],
  ] as const)("merge request %s", (action, over, expectedAction, merged) => {
    expect(parseGitlabEvent("Merge Request Hook", gitlabMerge(action, over))).toEqual({
      kind: "pull_request",
      action: expectedAction,
      number: 12,
      title: "MS-Viewport",
      headRef: "ms-viewport",
      headSha: SHA_A,
      merged,
      fetchRef: "refs/merge-requests/12/head",
    });
  });

  it("refuses a malformed merge request", () => {
    expect(() => parseGitlabEvent("Merge Request Hook", { object_attributes: { iid: 0 } })).toThrow(
      new WebhookPayloadError("GitLab Merge Request Hook payload: object_attributes.iid: Too small: expected number to be >0"),
    );
  });
});
