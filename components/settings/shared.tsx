import { ROLES, type TRole } from "@/lib/core/roles";
import { SMALL_BUTTON } from "@/components/ui/button";

// Pieces shared by the settings pages' cards.

export const CARD = "rounded-xl border border-slate-200 bg-white shadow-xs";

/** A settings card: a section labelled by its title (`id` names the heading), its content below. */
export function SettingsCard({
  id,
  title,
  bodyClassName = "px-5 py-4",
  children,
}: {
  id: string;
  title: string;
  bodyClassName?: string;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={CARD}>
      <h2 id={id} className="border-b border-slate-200 px-5 py-3 text-sm font-semibold text-slate-800">
        {title}
      </h2>
      <div className={bodyClassName}>{children}</div>
    </section>
  );
}
export const DANGER_BUTTON =
  "rounded-md bg-white px-2.5 py-1 text-xs font-medium text-red-700 shadow-sm ring-1 ring-red-200 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-blue-500 disabled:opacity-60";

export const ROLE_HINT: Record<TRole, string> = {
  viewer: "reads everything",
  deployer: "also deploys, rolls back, cancels, redeploys",
  admin: "also stage settings, refresh, the repository, members, tokens",
};

export function RoleSelect({
  value,
  onChange,
  disabled,
  label,
}: {
  value: TRole;
  onChange: (r: TRole) => void;
  disabled?: boolean;
  label: string;
}) {
  return (
    <select
      aria-label={label}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value as TRole)}
      className="rounded-md border-0 bg-white py-1 pr-7 pl-2 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-blue-500 disabled:opacity-60"
    >
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}

/** A secret shown once (a new account's password, a new token): copy it now, it is stored nowhere. */
export function ShownOnce({
  title,
  value,
  testId,
  onDone,
  note = "This is the only time it is shown: Sprout keeps only a hash.",
}: {
  title: string;
  value: string;
  testId: string;
  onDone: () => void;
  /** how it is kept, and what to do if it is lost */
  note?: string;
}) {
  return (
    <div role="status" className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-medium">{title}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid={testId}
          className="rounded bg-white px-2 py-1 font-mono text-xs break-all text-slate-900 ring-1 ring-amber-200 select-all"
        >
          {value}
        </code>
        <button type="button" className={SMALL_BUTTON} onClick={() => void navigator.clipboard?.writeText(value)}>
          Copy
        </button>
        <button type="button" className={SMALL_BUTTON} onClick={onDone}>
          Done
        </button>
      </div>
      <p className="text-xs">{note}</p>
    </div>
  );
}
