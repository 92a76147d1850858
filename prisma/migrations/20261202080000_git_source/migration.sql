-- From git to build: an app's repository and webhook secret (sealed), the deliveries it received,
-- the branch a stage tracks, source builds (checkout and package steps, superseded and skipped
-- builds, what queued them), and statuses for the release flow.
ALTER TYPE "BuildStatus" ADD VALUE 'skipped';
ALTER TYPE "BuildStatus" ADD VALUE 'awaiting_approval';
ALTER TYPE "BuildStatus" ADD VALUE 'rejected';
ALTER TYPE "StepAction" ADD VALUE 'checkout' BEFORE 'create';
ALTER TYPE "StepAction" ADD VALUE 'package' BEFORE 'create';
CREATE TYPE "BuildTrigger" AS ENUM ('push', 'manual', 'api', 'rollback', 'promote');

ALTER TABLE "apps" ADD COLUMN "repository_url" TEXT;
ALTER TABLE "apps" ADD COLUMN "webhook_secret" TEXT;

ALTER TABLE "stages" ADD COLUMN "branch" TEXT;
ALTER TABLE "stages" ADD COLUMN "auto_deploy" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "stages" ADD COLUMN "package_timeout_minutes" DOUBLE PRECISION NOT NULL DEFAULT 20;
-- as in Seed: a stage named prod does not deploy on push until told to
UPDATE "stages" SET "auto_deploy" = false WHERE "name" = 'prod';

ALTER TABLE "builds" ADD COLUMN "trigger" "BuildTrigger" NOT NULL DEFAULT 'api';
ALTER TABLE "builds" ADD COLUMN "source" JSONB;
ALTER TABLE "builds" ADD COLUMN "superseded_by" INTEGER;
ALTER TABLE "builds" ADD COLUMN "skipped_reason" TEXT;
UPDATE "builds" SET "trigger" = CASE
  WHEN "kind" = 'rollback' THEN 'rollback'::"BuildTrigger"
  WHEN "kind" = 'promote' THEN 'promote'::"BuildTrigger"
  WHEN "triggered_by" LIKE 'user:%' THEN 'manual'::"BuildTrigger"
  WHEN "triggered_by" LIKE '%push%' THEN 'push'::"BuildTrigger"
  ELSE 'api'::"BuildTrigger" END;

-- a step is named by its key in its build: the service for a deploy step (as before)
ALTER TABLE "steps" ADD COLUMN "key" TEXT;
UPDATE "steps" SET "key" = "service";
ALTER TABLE "steps" ALTER COLUMN "key" SET NOT NULL;
ALTER TABLE "steps" ALTER COLUMN "service" DROP NOT NULL;
DROP INDEX "steps_build_id_service_key";
CREATE UNIQUE INDEX "steps_build_id_key_key" ON "steps"("build_id", "key");

CREATE TABLE "webhook_deliveries" (
  "id" SERIAL NOT NULL,
  "app_id" INTEGER NOT NULL,
  "provider" TEXT NOT NULL,
  "delivery_id" TEXT NOT NULL,
  "event" TEXT NOT NULL,
  "outcome" JSONB NOT NULL DEFAULT '{}',
  "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "webhook_deliveries_app_id_provider_delivery_id_key" ON "webhook_deliveries"("app_id", "provider", "delivery_id");
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
