import "server-only";
import { AppError } from "@/lib/core/errors";
import { checkTargetAddress, checkTargetUrl, type TTargetPolicy } from "@/lib/core/notifications/target-url";
import { checkResolvedName, guardedLookup } from "@/lib/server/endpoints";

// A notification target's URL is checked when it is added (lib/core/notifications/target-url.ts,
// plus the addresses its name resolves to) and again at every connection, so that a name pointed
// at 169.254.169.254 after it was added reaches nothing.

export function targetPolicy(): TTargetPolicy {
  return { allowPrivate: process.env.SPROUT_ALLOW_PRIVATE_TARGETS === "1" };
}

/** Throws a 400 naming what is wrong when Sprout may not send notifications to `raw`. */
export async function validateTargetUrl(raw: string): Promise<URL> {
  const policy = targetPolicy();
  const checked = checkTargetUrl(raw, policy);
  if (!checked.ok) throw new AppError("bad_request", `url: ${checked.reason}.`);
  if (checked.hostname)
    await checkResolvedName("url", checked.hostname, "sending to it", (address) => checkTargetAddress(address, checked.scheme, policy));
  return checked.url;
}

/** The lookup of every connection to a target: each address the name resolves to is checked again. */
export const targetLookup = (scheme: "http" | "https") =>
  guardedLookup(scheme, (address) => checkTargetAddress(address, scheme, targetPolicy()));
