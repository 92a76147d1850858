"use server";
import "server-only";

import { headers } from "next/headers";
import { z } from "zod";
import { getAuth } from "@/lib/server/auth/auth";
import { setupFirstAdmin } from "@/lib/server/auth/users";
import { ZNewPassword } from "@/lib/core/validation";
import { AppError } from "@/lib/core/errors";
import { crossOriginRefusal, originInput } from "@/lib/core/origin";
import { runAction } from "./app-action";

// /setup: the first visitor of an instance without users creates its admin. The server refuses
// once any user exists (setupFirstAdmin), whatever the page shows.
const ZSetup = z.object({
  email: z.email({ error: "must be an email address" }).max(254),
  name: z.string().trim().max(100).optional(),
  password: ZNewPassword,
});

export async function setupAction(input: z.input<typeof ZSetup>) {
  return runAction(async () => {
    const body = ZSetup.parse(input);
    // a page on another site must not make a visitor's browser create the admin (as appAction refuses)
    const h = await headers();
    const refusal = crossOriginRefusal(originInput({ method: "POST", headers: h }));
    if (refusal) throw new AppError("forbidden", refusal);
    const user = await setupFirstAdmin(body);
    // signed in at once: nextCookies() puts the session cookie on this action's response
    await (await getAuth()).api.signInEmail({ body: { email: user.email, password: body.password }, headers: h });
    return { email: user.email };
  });
}
