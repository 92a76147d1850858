"use server";
import "server-only";

import { z } from "zod";
import { ZMemberAdd, ZMemberPatch, ZSlug, ZTokenCreate } from "@/lib/core/validation";
import { addMember, removeMember, updateMember } from "@/lib/server/operations/members";
import { createToken, revokeToken } from "@/lib/server/operations/tokens";
import { appAction } from "./app-action";

// The app settings page: members and API tokens, for the app's admins.
const ZApp = z.object({ app: ZSlug });
const ZUserRef = ZApp.extend({ userId: z.string().min(1).max(100) });

export const addMemberAction = appAction(ZApp.extend(ZMemberAdd.shape), "members", ({ app, actor }, { app: _, ...input }) =>
  addMember({ app, input, actor }),
);

export const updateMemberAction = appAction(ZUserRef.extend(ZMemberPatch.shape), "members", ({ app, actor }, { userId, role }) =>
  updateMember({ app, userId, input: { role }, actor }),
);

export const removeMemberAction = appAction(ZUserRef, "members", ({ app, actor }, { userId }) => removeMember({ app, userId, actor }));

export const createTokenAction = appAction(ZApp.extend(ZTokenCreate.shape), "tokens", ({ app, actor }, { app: _, ...input }) =>
  createToken({ app, input, actor }),
);

export const revokeTokenAction = appAction(ZApp.extend({ tokenId: z.number().int().positive() }), "tokens", ({ app, actor }, { tokenId }) =>
  revokeToken({ app, id: String(tokenId), actor }),
);
