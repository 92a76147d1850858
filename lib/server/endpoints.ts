import "server-only";
import dns from "node:dns";
import type { LookupAddress, LookupOptions } from "node:dns";
import { AppError } from "@/lib/core/errors";
import { checkAddress, checkEndpointUrl, type TEndpointPolicy } from "@/lib/core/endpoint";

// A stage's endpoint receives requests signed with the host's AWS credentials (docs/cloudformation.md,
// "Endpoint rules"). The URL is checked when it is set (lib/core/endpoint.ts, plus the addresses its
// host name resolves to), and a name is checked again at every connection (`guardedLookup`), so
// that a name re-pointed at 169.254.169.254 after it was set (DNS rebinding) reaches nothing.

export function endpointPolicy(): TEndpointPolicy {
  return { allowPrivate: process.env.SPROUT_ALLOW_PRIVATE_ENDPOINTS === "1" };
}

/** Throws a 400 naming what is wrong when a stage may not use this endpoint. */
export async function validateEndpoint(raw: string): Promise<void> {
  const policy = endpointPolicy();
  const url = checkEndpointUrl(raw, policy);
  if (!url.ok) throw new AppError("bad_request", `endpoint: ${url.reason}.`);
  if (url.hostname) await checkResolvedName("endpoint", url.hostname, "using it", (address) => checkAddress(address, url.scheme, policy));
}

/**
 * Throws a 400 about `field` when `hostname` does not resolve, or resolves to an address `check`
 * refuses (it says why); `use` ends the first message: "…checks where a name points before {use}".
 */
export async function checkResolvedName(
  field: string,
  hostname: string,
  use: string,
  check: (address: string) => string | null,
): Promise<void> {
  let addresses: LookupAddress[];
  try {
    addresses = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  } catch (e) {
    const code = (e as { code?: string }).code ?? "an error";
    throw new AppError("bad_request", `${field}: ${hostname} does not resolve (${code}); Sprout checks where a name points before ${use}.`);
  }
  for (const a of addresses) {
    const why = check(a.address);
    if (why) throw new AppError("bad_request", `${field}: ${hostname} resolves to ${why}.`);
  }
}

type TLookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the HTTP agents of a stage's endpoint: the name's addresses are checked before every
 * connection. `check` says why an address is refused (notification targets bring their own rules).
 */
export function guardedLookup(
  scheme: "http" | "https",
  check: (address: string) => string | null = (address) => checkAddress(address, scheme, endpointPolicy()),
) {
  return (hostname: string, options: LookupOptions, callback: TLookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const a of addresses) {
        const why = check(a.address);
        if (why) {
          const refused: NodeJS.ErrnoException = new Error(`Sprout does not connect to ${hostname}: it resolves to ${why}.`);
          refused.code = "ESPROUTREFUSED";
          return callback(refused, []);
        }
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
