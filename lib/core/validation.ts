import { z } from "zod";
import { DRIVERS, SLUG_RE } from "@/lib/core/domain";
import { ROLES } from "@/lib/core/roles";
import { checkStackNamePattern } from "@/lib/core/stacks";
import { VARIABLE_VALUE_MAX_LENGTH } from "@/lib/core/source/build-environment";
import { TARGET_EVENTS } from "@/lib/core/notifications/events";

// Input schemas for every boundary (API bodies, server actions). zod's message names the field.

export const ZSlug = z.string().regex(SLUG_RE, "must be a slug: lowercase letters, digits and dashes, at most 63 characters");

export const ZCommit = z.object({
  sha: z.string().regex(/^[0-9a-f]{7,40}$/i, "must be a git commit sha (7 to 40 hex digits)"),
  message: z.string().trim().min(1, "must not be empty").max(5000),
  author: z.string().trim().max(200).optional(),
  branch: z.string().trim().max(200).optional(),
});

/** CloudFormation parameter values: names as CloudFormation takes them, values as strings. */
export const ZParameterValues = z
  .record(
    z.string().regex(/^[A-Za-z0-9]{1,255}$/, "parameter names are letters and digits, as CloudFormation takes them"),
    z.union([z.string().max(4096), z.number(), z.boolean()]).transform(String),
  )
  .refine((v) => Object.keys(v).length <= 200, "at most 200 parameters");

/** A template's size, as text or once an object template is serialized as JSON. */
export const TEMPLATE_MAX_CHARS = 1_000_000;
const TEMPLATE_TOO_BIG = `must be at most ${TEMPLATE_MAX_CHARS.toLocaleString("en-US")} characters`;
/** A deploy's manifest carries its templates: its body may be this large (other bodies: lib/server/http). */
export const DEPLOY_BODY_LIMIT = 6 * 1024 * 1024;

/** `force: true` deploys into a stage pinned after a rollback, and unpins it (a deployer's choice, audited). */
const ZForce = z.boolean({ error: "must be true or false" }).optional();

export const ZDeployBody = z.object({
  commit: ZCommit,
  force: ZForce,
  services: z
    .array(
      z.object({
        name: ZSlug,
        dependsOn: z.array(ZSlug).max(200).optional(),
        /** CloudFormation parameter values; the stage's own values for the service win over these */
        parameters: ZParameterValues.optional(),
        template: z.union(
          [
            z.string().min(1, "must not be empty").max(TEMPLATE_MAX_CHARS, TEMPLATE_TOO_BIG),
            z
              .record(z.string(), z.unknown())
              .refine((t) => JSON.stringify(t).length <= TEMPLATE_MAX_CHARS, `${TEMPLATE_TOO_BIG} once serialized as JSON`),
          ],
          { error: "must be a CloudFormation template: an object, or JSON/YAML text" },
        ),
      }),
    )
    .min(1, "must list at least one service")
    .max(1000),
});

const MAX_STEP_TIMEOUT_MINUTES = 1440;

const ZRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as us-east-1");
// The endpoint's full rules (addresses, numeric tricks, what its name resolves to) are checked by
// the operation: they depend on the instance's settings and on DNS.
const ZEndpoint = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000);
const ZStackNamePattern = z
  .string()
  .trim()
  .max(200)
  .superRefine((pattern, ctx) => {
    const why = checkStackNamePattern(pattern);
    if (why) ctx.addIssue({ code: "custom", message: why });
  });

const ZBranchName = z
  .string()
  .trim()
  .min(1, "must name a branch")
  .max(255)
  .regex(/^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._\/-]+$/, "must be a branch name (letters, digits, ., _, / and -)");
const ZGitRefNullable = ZBranchName.nullable().optional();

export const ZStageBody = z.object({
  name: ZSlug,
  driver: z.enum(DRIVERS).optional(),
  region: ZRegion.nullable().optional(),
  endpoint: ZEndpoint.nullable().optional(),
  /** the sandbox's account id (AWS::AccountId); a cloudformation stage asks STS */
  accountId: z
    .string()
    .regex(/^\d{12}$/, "must be a 12-digit AWS account id")
    .nullable()
    .optional(),
  /** S3 bucket for templates over 51,200 bytes (cloudformation driver) */
  templateBucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3 to 63 lowercase letters, digits, dots and dashes)")
    .nullable()
    .optional(),
  /** how stacks met for the first time are named ({app}, {service}, {stage}); null: {service}-{stage} */
  stackNamePattern: ZStackNamePattern.nullable().optional(),
  /** services whose existing stack without Sprout's tags the stage may take over */
  adoptStacks: z
    .array(ZSlug)
    .max(200)
    .transform((list) => [...new Set(list)].sort())
    .optional(),
  /** the git branch the stage deploys; a push to it builds the stage when autoDeploy is on */
  branch: ZGitRefNullable,
  /** default: on, off for a stage named prod */
  autoDeploy: z.boolean().optional(),
  /** a build command running longer is killed; fractions of a minute allowed */
  packageTimeoutMinutes: z
    .number({ error: "must be a number of minutes" })
    .positive("must be more than 0 minutes")
    .max(MAX_STEP_TIMEOUT_MINUTES, `must be at most ${MAX_STEP_TIMEOUT_MINUTES} minutes (one day)`)
    .optional(),
  /** a step running longer is stopped and fails; fractions of a minute allowed */
  stepTimeoutMinutes: z
    .number({ error: "must be a number of minutes" })
    .positive("must be more than 0 minutes")
    .max(MAX_STEP_TIMEOUT_MINUTES, `must be at most ${MAX_STEP_TIMEOUT_MINUTES} minutes (one day)`)
    .optional(),
  /** the rollback dialog opens on Cancel (a stage named prod always does) */
  protected: z.boolean({ error: "must be true or false" }).optional(),
  /** deploy and promote builds wait until a deployer other than the one who queued them approves */
  requireApproval: z.boolean({ error: "must be true or false" }).optional(),
});
export const ZStagePatch = ZStageBody.omit({ name: true }).strict();

/** A git branch or tag name, or a commit sha: what `git` itself would take, no options or ranges. */
export const ZGitRef = z
  .string()
  .trim()
  .min(1, "must name a branch or a commit")
  .max(255)
  .regex(/^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._\/-]+$/, "must be a branch name or a commit sha (letters, digits, ., _, / and -)");

/** `POST …/stages/{stage}/deploy`: a source build; `force` also rebuilds what did not change, and unpins a pinned stage. */
export const ZSourceDeploy = z
  .object({
    ref: ZGitRef.optional(),
    services: z.array(ZSlug).min(1, "must name at least one service, or be left out for all").max(500).optional(),
    force: z.boolean().optional(),
  })
  .strict();

/** `POST …/builds/{n}/redeploy`: optional body. */
export const ZRedeployBody = z.object({ force: ZForce }).strict();

/** `POST …/builds/{n}/promote`: to the next stage of the pipeline unless `to` names one. */
export const ZPromoteBody = z.object({ to: ZSlug.optional(), force: ZForce }).strict();
export const ZPromotePlanQuery = z.object({ to: ZSlug.optional() });

/** A partial rollback's services: listed once each, sorted. */
const ZServiceList = z
  .array(ZSlug)
  .min(1, "must name at least one service, or be left out to restore the whole release")
  .max(500)
  .transform((list) => [...new Set(list)].sort());

/** A repository as an app is created from: its URL (https, ssh, or a local path / file://). */
export const ZRepositoryInput = z.object({ url: z.string().trim().min(1, "must name a repository").max(2048) }).strict();

export const ZCreateApp = z
  .object({
    name: ZSlug,
    stages: z.array(ZStageBody).max(50).optional(),
    /** read sprout.yml from its default branch; creates dev (autoDeploy) and prod, connected */
    repository: ZRepositoryInput.optional(),
  })
  .refine((b) => !(b.repository && b.stages), {
    message: "give either repository (Sprout makes dev and prod) or stages, not both",
    path: ["stages"],
  });

/** `PUT …/variables/{name}`: secret left out keeps what the variable was (a new one is plain). */
export const ZVariablePut = z
  .object({
    value: z.string({ error: "must be text" }).max(VARIABLE_VALUE_MAX_LENGTH, `must be at most ${VARIABLE_VALUE_MAX_LENGTH / 1024} KB`),
    secret: z.boolean({ error: "must be true or false" }).optional(),
  })
  .strict();

/** `PATCH /api/apps/{app}`: the app's pull-request stages. */
export const ZAppPatch = z
  .object({
    prStages: z
      .object({
        enabled: z.boolean({ error: "must be true or false" }).optional(),
        templateStage: ZSlug.optional(),
        limit: z
          .number({ error: "must be a number" })
          .int("must be a whole number")
          .min(1, "must be at least 1")
          .max(500, "must be at most 500")
          .optional(),
      })
      .strict(),
  })
  .strict();

/**
 * A password used alone (no second factor): at least 15 characters, the minimum NIST SP 800-63B
 * rev. 4 sets for that case. Generated passwords are 20.
 */
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 128;
export const ZNewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

/** POST …/builds/{n}/rollback: an optional reason, kept with the build and audited; `services` restores only those (and what must move with them). */
export const ZRollbackBody = z
  .object({
    reason: z
      .string({ error: "must be text" })
      .trim()
      .max(500, "must be at most 500 characters")
      .transform((v) => v || null)
      .nullable()
      .optional(),
    services: ZServiceList.optional(),
  })
  .strict();

/** GET …/rollback-plan?services=a,b */
export const ZRollbackPlanQuery = z.object({
  services: z
    .string()
    .max(20_000)
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(ZServiceList)
    .optional(),
});

/** POST …/stages/{stage}/notifications */
export const ZNotificationCreate = z.discriminatedUnion(
  "kind",
  [
    z
      .object({
        kind: z.literal("webhook"),
        url: z.string().trim().min(1, "must be a URL").max(2000),
        events: z.enum(TARGET_EVENTS).default("all"),
      })
      .strict(),
    z
      .object({
        kind: z.literal("slack"),
        url: z.string().trim().min(1, "must be a Slack incoming-webhook URL").max(2000),
        events: z.enum(TARGET_EVENTS).default("all"),
      })
      .strict(),
    z
      .object({
        kind: z.literal("email"),
        address: z.email({ error: "must be an email address" }).max(254),
        events: z.enum(TARGET_EVENTS).default("all"),
      })
      .strict(),
  ],
  { error: "kind: must be webhook, slack or email" },
);

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

// The instance's own settings (an instance admin's).
export const ZInstanceSettings = z
  .object({
    /** builds of one app that run at once; null: half the live workers' slots */
    buildsPerApp: z.number().int().min(1, "must be at least 1 (or null for half the pool)").max(10_000).nullable(),
  })
  .strict();
export type TInstanceSettings = z.output<typeof ZInstanceSettings>;
