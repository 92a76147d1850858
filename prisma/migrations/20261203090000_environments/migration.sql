-- Environments: stage variables (a secret's value sealed with SPROUT_SECRET_KEY, never plain),
-- pull-request stages (app settings, the stage's PR number and title, archived stages) and the
-- build kind that deletes a stage's stacks.
ALTER TYPE "BuildKind" ADD VALUE 'remove';

ALTER TABLE "apps" ADD COLUMN "pr_stages_enabled" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "apps" ADD COLUMN "pr_template_stage" TEXT NOT NULL DEFAULT 'dev';
ALTER TABLE "apps" ADD COLUMN "pr_stage_limit" INTEGER NOT NULL DEFAULT 20;

ALTER TABLE "stages" ADD COLUMN "pr_number" INTEGER;
ALTER TABLE "stages" ADD COLUMN "pr_title" TEXT;
ALTER TABLE "stages" ADD COLUMN "archived" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "stages" ADD COLUMN "archived_at" TIMESTAMP(3);

CREATE TABLE "stage_variables" (
  "stage_id" INTEGER NOT NULL,
  "name" TEXT NOT NULL,
  "secret" BOOLEAN NOT NULL DEFAULT false,
  "value" TEXT NOT NULL,
  "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_by" TEXT NOT NULL,
  CONSTRAINT "stage_variables_pkey" PRIMARY KEY ("stage_id", "name")
);
ALTER TABLE "stage_variables" ADD CONSTRAINT "stage_variables_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;
