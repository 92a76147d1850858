// Pull requests in the tests: commits pushed to a branch of the real origin and to the ref the host
// keeps for the pull request's head (refs/pull/N/head on GitHub, refs/merge-requests/N/head on
// GitLab), and the payloads GitHub and GitLab send about them (trimmed to what is read).
import type { TFiles } from "./git-repo";
import type { TSourceApp } from "./source";

/** Commits `files` on `branch`, pushes the branch and the pull request's head ref; gives the sha. */
export async function pushPullRequest(
  app: TSourceApp,
  n: number,
  branch: string,
  files: TFiles,
  message: string,
  host: "github" | "gitlab" = "github",
) {
  const sha = await app.origin.commit(files, message, branch);
  const ref = host === "github" ? `refs/pull/${n}/head` : `refs/merge-requests/${n}/head`;
  await app.origin.git(["push", "--quiet", "--force", "origin", `HEAD:${ref}`]);
  await app.origin.git(["checkout", "--quiet", "main"]);
  return sha;
}

export const githubPullRequest = (
  action: "opened" | "reopened" | "synchronize" | "closed",
  n: number,
  head: { ref: string; sha: string },
  o: { title?: string; merged?: boolean } = {},
) => ({
  action,
  number: n,
  pull_request: {
    number: n,
    title: o.title ?? `Pull request ${n}`,
    state: action === "closed" ? "closed" : "open",
    merged: o.merged ?? false,
    head,
  },
  repository: { full_name: "acme/notes" },
});

export const gitlabMergeRequest = (
  action: "open" | "reopen" | "update" | "close" | "merge",
  iid: number,
  head: { ref: string; sha: string },
  o: { title?: string; oldrev?: string } = {},
) => ({
  object_kind: "merge_request",
  object_attributes: {
    iid,
    title: o.title ?? `Merge request ${iid}`,
    action,
    source_branch: head.ref,
    ...(o.oldrev ? { oldrev: o.oldrev } : {}),
    last_commit: { id: head.sha, message: "A change", author: { name: "Ada Lovelace", email: "ada@example.com" } },
  },
  project: { path_with_namespace: "acme/notes" },
});
