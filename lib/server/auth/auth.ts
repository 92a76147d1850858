import "server-only";
import crypto from "node:crypto";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { db } from "@/lib/server/db";
import { CLIENT_ADDRESS_HEADER } from "@/lib/server/auth/client-address";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/core/validation";

// Sign-in is better-auth's: email + password (scrypt), sessions in PostgreSQL, httpOnly SameSite=Lax
// cookies, its rate limiter with database storage. Accounts are made by Sprout (setup, members),
// never by sign-up, so better-auth's other account endpoints are switched off.

const SECRET_KEY = "auth_secret";

/**
 * The key that signs session cookies: BETTER_AUTH_SECRET, else one generated once and kept in the
 * database, so every web process (on any machine) signs and checks cookies alike with no setup.
 */
async function authSecret(): Promise<string> {
  if (process.env.BETTER_AUTH_SECRET) return process.env.BETTER_AUTH_SECRET;
  await db.setting.createMany({ data: [{ key: SECRET_KEY, value: crypto.randomBytes(32).toString("base64url") }], skipDuplicates: true });
  return (await db.setting.findUniqueOrThrow({ where: { key: SECRET_KEY } })).value;
}

// Everything a user or a script may reach under /api/auth is sign-in, sign-out, the session and
// changing one's password; the rest would bypass Sprout's rules for making accounts.
const DISABLED_PATHS = [
  "/sign-up/email",
  "/sign-in/social",
  "/callback/:id",
  "/update-user",
  "/change-email",
  "/delete-user",
  "/delete-user/callback",
  "/request-password-reset",
  "/reset-password",
  "/reset-password/:token",
  "/send-verification-email",
  "/verify-email",
  "/link-social",
  "/unlink-account",
  "/get-access-token",
  "/refresh-token",
  "/account-info",
  "/update-session",
];

/** Sign-in attempts per client address and minute: slows password guessing, spares a typo or two. */
export const SIGN_IN_LIMIT = { window: 60, max: 10 };

/**
 * The origins better-auth accepts sign-in and sign-out from: the host the browser addressed (Host,
 * or X-Forwarded-Host behind a proxy). Next hands route handlers a URL on its own bind address, not
 * on that host, so better-auth's own guess from the URL would refuse the dashboard's form. A
 * foreign page still fails: its Origin is not the Host it posts to.
 */
function requestOrigins(request?: Request): string[] {
  if (!request) return [];
  const h = request.headers;
  const hosts = [h.get("x-forwarded-host"), h.get("host")].flatMap((v) => (v ? [v.split(",")[0]!.trim()] : []));
  return hosts.flatMap((host) => [`http://${host}`, `https://${host}`]);
}

function createAuth(secret: string) {
  const publicUrl = process.env.SPROUT_URL || process.env.BETTER_AUTH_URL || undefined;
  return betterAuth({
    secret,
    // unset: the origin is each request's own (localhost, a LAN address…); cookies are then sent
    // without Secure so that plain http works. With an https SPROUT_URL they are Secure.
    baseURL: publicUrl,
    trustedOrigins: publicUrl ? undefined : requestOrigins,
    database: prismaAdapter(db, { provider: "postgresql" }),
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
    },
    user: { additionalFields: { isAdmin: { type: "boolean", defaultValue: false, input: false } } },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    disabledPaths: DISABLED_PATHS,
    rateLimit: {
      enabled: true,
      storage: "database",
      customRules: { "/sign-in/email": SIGN_IN_LIMIT },
    },
    advanced: {
      useSecureCookies: publicUrl ? publicUrl.startsWith("https://") : false,
      // the client address the auth route found (never a client's X-Forwarded-For as is)
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    logger: {
      // Sprout derives the origin from each request on purpose (see baseURL): that warning is noise.
      log: (level, message, ...args) => {
        if (message.includes("Base URL is not set")) return;
        (level === "error" ? console.error : console.warn)(`[sprout] auth: ${message}`, ...args);
      },
    },
    plugins: [nextCookies()], // last: lets server actions set the session cookie
  });
}

export type TAuth = ReturnType<typeof createAuth>;

// One instance per process; created on first use (it needs the database for its secret).
const g = globalThis as unknown as { sproutAuth?: Promise<TAuth> };

export function getAuth(): Promise<TAuth> {
  if (!g.sproutAuth) {
    g.sproutAuth = authSecret().then(createAuth);
    g.sproutAuth.catch(() => (g.sproutAuth = undefined)); // a database hiccup must not stick
  }
  return g.sproutAuth;
}
