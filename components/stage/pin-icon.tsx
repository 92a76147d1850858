/** A pushpin: a stage pinned after a rollback. */
export function PinIcon({ className = "size-3.5" }: { className?: string }) {
  return (
    <svg viewBox="0 0 16 16" aria-hidden className={className} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round">
      <path d="M6 1.5h4l-.5 4 2.5 2.5H4l2.5-2.5z" />
      <path d="M8 8v6.5" strokeLinecap="round" />
    </svg>
  );
}
