import type { TBuildTrigger } from "@/lib/core/domain";

const WORDS: Partial<Record<TBuildTrigger, { label: string; title: string }>> = {
  push: { label: "push", title: "Queued by a git push (webhook)" },
  manual: { label: "manual", title: "Queued from the dashboard" },
  api: { label: "api", title: "Queued through the API" },
};

/** What queued a deploy: a push, someone in the dashboard, a script. Rollbacks and promotes say so by their kind. */
export function BuildTrigger({ trigger }: { trigger: TBuildTrigger }) {
  const w = WORDS[trigger];
  if (!w) return null;
  return (
    <span
      data-testid="build-trigger"
      data-trigger={trigger}
      title={w.title}
      className="rounded bg-slate-100 px-1 font-mono text-[11px] text-slate-700"
    >
      {w.label}
    </span>
  );
}

/** "Ada Lovelace <ada@example.com>" as git names an author -> "Ada Lovelace". */
export const authorName = (author: string) => author.replace(/\s*<[^>]*>\s*$/, "") || author;
