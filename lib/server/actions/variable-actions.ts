"use server";
import "server-only";

import { z } from "zod";
import { ZSlug, ZVariablePut } from "@/lib/core/validation";
import { deleteVariable, setVariable } from "@/lib/server/operations/stage-variables";
import { appAction } from "./app-action";

// The stage settings page's variables editor (app admins): the same operations as the API's PUT and DELETE.
const ZVariableRef = z.object({ app: ZSlug, stage: ZSlug, name: z.string().trim().min(1, "must name the variable").max(128) });

export const setVariableAction = appAction(
  ZVariableRef.extend(ZVariablePut.shape),
  "variables",
  ({ app, actor }, { stage, name, ...input }) => setVariable({ app, stage, name, input, actor }),
);

export const deleteVariableAction = appAction(ZVariableRef, "variables", ({ app, actor }, { stage, name }) =>
  deleteVariable({ app, stage, name, actor }),
);
