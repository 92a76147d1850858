"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { SignOutButton } from "./sign-out-button";

export interface TTopBarUser {
  email: string;
  isAdmin: boolean;
}

/** The bar on every page: the Sprout name, then where you are (app / stage / build), and who is signed in. */
export function TopBar({ user }: { user: TTopBarUser | null }) {
  const { app, stage, number } = useParams<{ app?: string; stage?: string; number?: string }>() ?? {};
  const crumbs: { href: string; label: string }[] = [];
  if (app) crumbs.push({ href: `/apps/${app}`, label: app });
  if (app && stage) crumbs.push({ href: `/apps/${app}/stages/${stage}`, label: stage });
  if (app && stage && number) crumbs.push({ href: `/apps/${app}/stages/${stage}/builds/${number}`, label: `#${number}` });
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
      <nav aria-label="Breadcrumb" className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-4 text-sm sm:px-6">
        <Link
          href="/"
          className="flex items-center gap-2 rounded font-semibold tracking-tight text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-500"
        >
          <SproutLogo />
          Sprout
        </Link>
        {crumbs.length > 0 && (
          <ol className="flex min-w-0 items-center gap-2">
            {crumbs.map((c, i) => (
              <li key={c.href} className="flex min-w-0 items-center gap-2">
                <span aria-hidden className="text-slate-300">
                  /
                </span>
                <Link
                  href={c.href}
                  aria-current={i === crumbs.length - 1 ? "page" : undefined}
                  className={`truncate rounded px-1 py-0.5 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-500 ${
                    i === crumbs.length - 1 ? "font-medium text-slate-900" : "text-slate-500"
                  }`}
                >
                  {c.label}
                </Link>
              </li>
            ))}
          </ol>
        )}
        {user && (
          <div className="ml-auto flex shrink-0 items-center gap-3 pl-4">
            <Link
              href="/account"
              className="hidden rounded px-1 py-0.5 text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-500 sm:inline"
              title={user.isAdmin ? "Instance admin: admin of every app. Your account" : "Your account"}
            >
              <span data-testid="signed-in-as">{user.email}</span>
              {user.isAdmin && <span className="ml-1.5 rounded bg-slate-100 px-1.5 py-0.5 text-[11px] text-slate-500">admin</span>}
            </Link>
            <SignOutButton />
          </div>
        )}
      </nav>
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
