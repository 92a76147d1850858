"use server";

import { z } from "zod";
import { ZSlug } from "@/lib/core/validation";
import { addMember, removeMember, updateMember, ZMemberAdd, ZMemberPatch } from "@/lib/server/operations/members";
import { createToken, revokeToken, ZTokenCreate } from "@/lib/server/operations/tokens";
import { runAction } from "./action-result";
import { authorizeAction } from "./authorize";

// The app settings page: members and API tokens, for the app's admins. The operations validate
// their bodies; these validate the references around them.
const ZApp = z.object({ app: ZSlug });
const ZUserRef = ZApp.extend({ userId: z.string().min(1).max(100) });
const ZTokenRef = ZApp.extend({ tokenId: z.number().int().positive() });

export async function addMemberAction(input: z.infer<typeof ZApp> & z.input<typeof ZMemberAdd>) {
  return runAction(async () => {
    const { app } = ZApp.parse(input);
    const actor = await authorizeAction(app, "members");
    return addMember(app, ZMemberAdd.parse(input), actor.label);
  });
}

export async function updateMemberAction(input: z.infer<typeof ZUserRef> & z.input<typeof ZMemberPatch>) {
  return runAction(async () => {
    const { app, userId } = ZUserRef.parse(input);
    const actor = await authorizeAction(app, "members");
    return updateMember(app, userId, { role: input.role }, actor.label);
  });
}

export async function removeMemberAction(input: z.infer<typeof ZUserRef>) {
  return runAction(async () => {
    const { app, userId } = ZUserRef.parse(input);
    const actor = await authorizeAction(app, "members");
    return removeMember(app, userId, actor.label);
  });
}

export async function createTokenAction(input: z.infer<typeof ZApp> & z.input<typeof ZTokenCreate>) {
  return runAction(async () => {
    const { app } = ZApp.parse(input);
    const actor = await authorizeAction(app, "tokens");
    return createToken(app, ZTokenCreate.parse(input), actor.label);
  });
}

export async function revokeTokenAction(input: z.infer<typeof ZTokenRef>) {
  return runAction(async () => {
    const { app, tokenId } = ZTokenRef.parse(input);
    const actor = await authorizeAction(app, "tokens");
    return revokeToken(app, String(tokenId), actor.label);
  });
}
