import Link from "next/link";
import type { TAccess } from "@/lib/core/roles";
import { SMALL_BUTTON_BASE as LINK } from "@/components/ui/button";

/** An app page's header: your role on the app, its audit and its settings (repository, members, tokens). */
export function AppLinks({ access }: { access: TAccess }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <span className="text-xs text-slate-600" data-testid="your-role">
        Your role: <span className="font-medium text-slate-700">{access.role}</span>
      </span>
      <Link href={`/apps/${access.app}/audit`} className={LINK}>
        Audit
      </Link>
      <Link href={`/apps/${access.app}/settings`} className={LINK}>
        Settings
      </Link>
    </div>
  );
}
