"use client";

import { useId } from "react";
import type { TRollbackPlanJson } from "@/lib/core/contracts";

/**
 * "Only some services": the services a whole rollback would change, to pick from; and, once the
 * server planned the pick, the services that must move with them, each with the reason.
 */
export function PartialPicker({
  choices,
  picked,
  onChange,
  partial,
  removed = [],
}: {
  choices: string[];
  picked: string[];
  onChange: (picked: string[]) => void;
  partial: TRollbackPlanJson["partial"] | null;
  /** services the partial plan removes (absent from the target's release) */
  removed?: string[];
}) {
  const id = useId();
  const toggle = (service: string, on: boolean) => onChange(on ? [...picked, service].sort() : picked.filter((s) => s !== service));
  return (
    <fieldset className="space-y-2 rounded-lg px-3 py-2 ring-1 ring-slate-200" data-testid="partial-picker">
      <legend className="px-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">Services to restore</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {choices.map((service) => (
          <label key={service} className="flex min-h-11 items-center gap-2 text-slate-900 sm:min-h-0">
            <input
              type="checkbox"
              className="size-4"
              checked={picked.includes(service)}
              onChange={(e) => toggle(service, e.target.checked)}
              aria-describedby={`${id}-hint`}
            />
            {service}
          </label>
        ))}
      </div>
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        Every other service keeps what is live now. Services that must change with the ones you pick, for one build to do it, are added and
        named below.
      </p>
      {partial && partial.moved.length > 0 && (
        <ul className="space-y-1 rounded-md bg-blue-50 px-3 py-2 text-blue-950" data-testid="moved-services">
          {partial.moved.map((m) => (
            <li key={m.service}>
              <span className="font-medium">
                {removed.includes(m.service) ? "Also removed" : "Also restored"}: {m.service}
              </span>
              : {m.reason}.
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
