import { z } from "zod";
import { DRIVERS, SLUG_RE } from "@/lib/core/domain";
import { ROLES } from "@/lib/core/roles";

// Input schemas for every boundary (API bodies, server actions). zod's message names the field.

export const ZSlug = z.string().regex(SLUG_RE, "must be a slug: lowercase letters, digits and dashes, at most 63 characters");

export const ZCommit = z.object({
  sha: z.string().regex(/^[0-9a-f]{7,40}$/i, "must be a git commit sha (7 to 40 hex digits)"),
  message: z.string().trim().min(1, "must not be empty").max(5000),
  author: z.string().trim().max(200).optional(),
  branch: z.string().trim().max(200).optional(),
});

export const ZDeployBody = z.object({
  commit: ZCommit,
  services: z
    .array(
      z.object({
        name: ZSlug,
        dependsOn: z.array(ZSlug).max(200).optional(),
        template: z.union([z.string().min(1, "must not be empty").max(1_000_000), z.record(z.string(), z.unknown())], {
          error: "must be a CloudFormation template: an object, or JSON/YAML text",
        }),
      }),
    )
    .min(1, "must list at least one service")
    .max(1000),
});

const ZRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as us-east-1");
const ZEndpoint = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

export const ZStageBody = z.object({
  name: ZSlug,
  driver: z.enum(DRIVERS).optional(),
  region: ZRegion.nullable().optional(),
  endpoint: ZEndpoint.nullable().optional(),
  /** the rollback dialog opens on Cancel (a stage named prod always does) */
  protected: z.boolean({ error: "must be true or false" }).optional(),
});
export const ZStagePatch = ZStageBody.omit({ name: true }).strict();

export const ZCreateApp = z.object({
  name: ZSlug,
  stages: z.array(ZStageBody).max(50).optional(),
});

/** POST …/builds/{n}/rollback: an optional reason, kept with the build and audited. */
export const ZRollbackBody = z
  .object({
    reason: z
      .string({ error: "must be text" })
      .trim()
      .max(500, "must be at most 500 characters")
      .transform((v) => v || null)
      .nullable()
      .optional(),
  })
  .strict();

// Members and tokens of an app.
export const ZMemberAdd = z.object({
  email: z.email({ error: "must be an email address" }).max(254),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }),
  name: z.string().trim().max(100).optional(),
});
export const ZMemberPatch = z.object({ role: ZMemberAdd.shape.role }).strict();

export const ZTokenCreate = z.object({
  name: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9][a-z0-9._-]{0,62}$/i,
      "must be 1 to 63 letters, digits, dots, dashes or underscores (it names the token in the audit)",
    ),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }),
});
