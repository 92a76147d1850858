"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { AccountMenu } from "./account-menu";

export interface TTopBarUser {
  email: string;
  isAdmin: boolean;
}

/**
 * The bar on every page: the Sprout name, then where you are (app / stage / build; on a phone, a
 * link back one level), and the account menu.
 */
export function TopBar({ user }: { user: TTopBarUser | null }) {
  const { app, stage, number } = useParams<{ app?: string; stage?: string; number?: string }>() ?? {};
  const crumbs: { href: string; label: string }[] = [];
  if (app) crumbs.push({ href: `/apps/${app}`, label: app });
  if (app && stage) crumbs.push({ href: `/apps/${app}/stages/${stage}`, label: stage });
  if (app && stage && number) crumbs.push({ href: `/apps/${app}/stages/${stage}/builds/${number}`, label: `#${number}` });
  const back = crumbs.length > 1 ? crumbs.at(-2)! : crumbs.length === 1 ? { href: "/", label: "Apps" } : null;
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-4 text-sm sm:px-6">
        <Link
          href="/"
          className="flex min-h-11 shrink-0 items-center gap-2 rounded font-semibold tracking-tight text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-500"
        >
          <SproutLogo />
          {/* on a phone the back link takes its place: the name stays for screen readers, the link needs one */}
          <span className={back ? "sr-only sm:not-sr-only" : ""}>Sprout</span>
        </Link>
        {back && (
          <Link
            href={back.href}
            data-testid="back-link"
            className="flex min-h-11 min-w-0 items-center gap-1 rounded px-2 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-500 sm:hidden"
          >
            <span aria-hidden>←</span>
            <span className="truncate">
              <span className="sr-only">Back to </span>
              {back.label}
            </span>
          </Link>
        )}
        {crumbs.length > 0 && (
          <nav aria-label="Breadcrumb" className="hidden min-w-0 sm:block">
            <ol className="flex min-w-0 items-center gap-2">
              {crumbs.map((c, i) => (
                <li key={c.href} className="flex min-w-0 items-center gap-2">
                  <span aria-hidden className="text-slate-400">
                    /
                  </span>
                  <Link
                    href={c.href}
                    aria-current={i === crumbs.length - 1 ? "page" : undefined}
                    className={`truncate rounded px-1 py-0.5 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-500 ${
                      i === crumbs.length - 1 ? "font-medium text-slate-900" : "text-slate-600"
                    }`}
                  >
                    {c.label}
                  </Link>
                </li>
              ))}
            </ol>
          </nav>
        )}
        {user && (
          <div className="ml-auto flex shrink-0 items-center pl-2">
            <AccountMenu email={user.email} isAdmin={user.isAdmin} />
          </div>
        )}
      </div>
    </header>
  );
}

function SproutLogo() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden className="size-6">
      <rect width="24" height="24" rx="6" className="fill-emerald-600" />
      <path d="M12 19v-6.5" stroke="white" strokeWidth="1.8" strokeLinecap="round" />
      <path d="M12 13c0-3 -2-5 -5.5-5 0 3 2 5 5.5 5Z" fill="white" />
      <path d="M12 11.5c0-2.6 1.8-4.5 5-4.5 0 2.7-1.8 4.5-5 4.5Z" fill="white" fillOpacity=".85" />
    </svg>
  );
}
