"use client";
import { usePathname } from "next/navigation";

export function CurrentPath({ className }: { className?: string }) {
  return <code className={className}>{usePathname()}</code>;
}
