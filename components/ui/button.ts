// Class strings of the small white buttons (and links styled as them) in page headers, rows and cards.

/** The small white button: page-header actions and links, Rollback. 44 px tall on a phone: a finger's target. */
export const SMALL_BUTTON_BASE =
  "inline-flex min-h-11 items-center justify-center rounded-md bg-white px-2.5 py-1 text-xs font-medium text-slate-800 shadow-sm ring-1 ring-slate-400 hover:bg-slate-50 sm:min-h-0";

/** The same with a focus ring and a dimmed disabled state. */
export const SMALL_BUTTON = `${SMALL_BUTTON_BASE} focus-visible:outline-2 focus-visible:outline-blue-500 disabled:opacity-60`;
