-- CreateEnum
CREATE TYPE "BuildKind" AS ENUM ('deploy', 'rollback', 'promote');

-- CreateEnum
CREATE TYPE "BuildStatus" AS ENUM ('queued', 'running', 'success', 'failed', 'canceled');

-- CreateEnum
CREATE TYPE "StepAction" AS ENUM ('create', 'update', 'remove', 'unchanged');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('pending', 'running', 'success', 'failed', 'skipped', 'canceled', 'unchanged');

-- CreateEnum
CREATE TYPE "Driver" AS ENUM ('sandbox', 'cloudformation');

-- CreateTable
CREATE TABLE "apps" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "apps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "services" (
    "id" SERIAL NOT NULL,
    "app_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stages" (
    "id" SERIAL NOT NULL,
    "app_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "driver" "Driver" NOT NULL DEFAULT 'sandbox',
    "region" TEXT,
    "endpoint" TEXT,
    "last_build_number" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "builds" (
    "id" SERIAL NOT NULL,
    "stage_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "kind" "BuildKind" NOT NULL,
    "status" "BuildStatus" NOT NULL DEFAULT 'queued',
    "rollback_of" INTEGER,
    "redeploy_of" INTEGER,
    "commit_sha" TEXT NOT NULL,
    "commit_message" TEXT NOT NULL,
    "commit_author" TEXT,
    "commit_branch" TEXT,
    "triggered_by" TEXT NOT NULL,
    "target" JSONB NOT NULL,
    "warnings" JSONB NOT NULL DEFAULT '[]',
    "release" JSONB,
    "error" TEXT,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "worker_id" TEXT,
    "lease_until" TIMESTAMP(3),
    "log_seq" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "builds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "steps" (
    "id" SERIAL NOT NULL,
    "build_id" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "action" "StepAction" NOT NULL,
    "status" "StepStatus" NOT NULL DEFAULT 'pending',
    "phase" INTEGER NOT NULL,
    "after" TEXT[],
    "position" INTEGER NOT NULL,
    "artifact_digest" TEXT,
    "error" TEXT,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "artifacts" (
    "digest" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "depends_on" TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifacts_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "log_lines" (
    "build_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "service" TEXT,
    "time" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "text" TEXT NOT NULL,

    CONSTRAINT "log_lines_pkey" PRIMARY KEY ("build_id","seq")
);

-- CreateTable
CREATE TABLE "live_state" (
    "stage_id" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "artifact_digest" TEXT NOT NULL,
    "build_number" INTEGER NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "live_state_pkey" PRIMARY KEY ("stage_id","service")
);

-- CreateTable
CREATE TABLE "sandbox_stacks" (
    "stage_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "exports" JSONB NOT NULL DEFAULT '{}',
    "imports" TEXT[],
    "status" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sandbox_stacks_pkey" PRIMARY KEY ("stage_id","name")
);

-- CreateIndex
CREATE UNIQUE INDEX "apps_name_key" ON "apps"("name");

-- CreateIndex
CREATE UNIQUE INDEX "services_app_id_name_key" ON "services"("app_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "stages_app_id_name_key" ON "stages"("app_id", "name");

-- CreateIndex
CREATE INDEX "builds_status_lease_until_idx" ON "builds"("status", "lease_until");

-- CreateIndex
CREATE UNIQUE INDEX "builds_stage_id_number_key" ON "builds"("stage_id", "number" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "steps_build_id_service_key" ON "steps"("build_id", "service");

-- AddForeignKey
ALTER TABLE "services" ADD CONSTRAINT "services_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stages" ADD CONSTRAINT "stages_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "builds" ADD CONSTRAINT "builds_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "steps" ADD CONSTRAINT "steps_build_id_fkey" FOREIGN KEY ("build_id") REFERENCES "builds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "steps" ADD CONSTRAINT "steps_artifact_digest_fkey" FOREIGN KEY ("artifact_digest") REFERENCES "artifacts"("digest") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "log_lines" ADD CONSTRAINT "log_lines_build_id_fkey" FOREIGN KEY ("build_id") REFERENCES "builds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "live_state" ADD CONSTRAINT "live_state_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "live_state" ADD CONSTRAINT "live_state_artifact_digest_fkey" FOREIGN KEY ("artifact_digest") REFERENCES "artifacts"("digest") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sandbox_stacks" ADD CONSTRAINT "sandbox_stacks_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One active (queued or running) rollback per stage: the database, not a check-then-insert,
-- makes a double click or twenty concurrent requests create one rollback build.
CREATE UNIQUE INDEX "builds_one_active_rollback_per_stage" ON "builds" ("stage_id")
  WHERE "kind" = 'rollback' AND "status" IN ('queued', 'running');

-- Live progress: every change to a build, its steps or its log is announced on channel
-- "sprout_events" as "<kind>:<stage id>:<build id>" (kind b = build/steps changed, l = new log lines).
-- The web process LISTENs once and fans out to the open pages.
CREATE FUNCTION "sprout_notify_build"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sprout_events', 'b:' || NEW.stage_id || ':' || NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER "builds_notify" AFTER INSERT OR UPDATE ON "builds"
  FOR EACH ROW EXECUTE FUNCTION "sprout_notify_build"();

CREATE FUNCTION "sprout_notify_step"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sprout_events', 'b:' || b.stage_id || ':' || b.id)
    FROM (SELECT DISTINCT build_id FROM new_rows) n JOIN builds b ON b.id = n.build_id;
  RETURN NULL;
END $$;
CREATE TRIGGER "steps_notify_insert" AFTER INSERT ON "steps"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "sprout_notify_step"();
CREATE TRIGGER "steps_notify_update" AFTER UPDATE ON "steps"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "sprout_notify_step"();

CREATE FUNCTION "sprout_notify_log"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sprout_events', 'l:' || b.stage_id || ':' || b.id)
    FROM (SELECT DISTINCT build_id FROM new_rows) n JOIN builds b ON b.id = n.build_id;
  RETURN NULL;
END $$;
CREATE TRIGGER "log_lines_notify" AFTER INSERT ON "log_lines"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "sprout_notify_log"();
