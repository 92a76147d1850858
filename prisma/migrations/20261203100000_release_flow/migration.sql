-- The release flow: promoted builds, stages pinned after a rollback, approval before deploys,
-- partial rollbacks, and notification targets with their delivery log.
ALTER TABLE "stages" ADD COLUMN "require_approval" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "stages" ADD COLUMN "pinned_build" INTEGER;
ALTER TABLE "stages" ADD COLUMN "pinned_rollback" INTEGER;
ALTER TABLE "stages" ADD COLUMN "pinned_by" TEXT;
ALTER TABLE "stages" ADD COLUMN "pinned_at" TIMESTAMP(3);
ALTER TABLE "stages" ADD COLUMN "pinned_reason" TEXT;

ALTER TABLE "builds" ADD COLUMN "promoted_from_stage" TEXT;
ALTER TABLE "builds" ADD COLUMN "promoted_from_number" INTEGER;
ALTER TABLE "builds" ADD COLUMN "rollback_services" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "builds" ADD COLUMN "approved_by" TEXT;
ALTER TABLE "builds" ADD COLUMN "approved_at" TIMESTAMP(3);

CREATE TYPE "NotificationKind" AS ENUM ('webhook', 'slack', 'email');
CREATE TYPE "NotificationEvents" AS ENUM ('all', 'failures');
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'delivered', 'failed');

CREATE TABLE "notification_targets" (
  "id" SERIAL NOT NULL,
  "stage_id" INTEGER NOT NULL,
  "kind" "NotificationKind" NOT NULL,
  "url" TEXT,
  "address" TEXT,
  "label" TEXT NOT NULL,
  "secret" TEXT,
  "events" "NotificationEvents" NOT NULL DEFAULT 'all',
  "created_by" TEXT NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "notification_targets_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notification_targets_stage_id_idx" ON "notification_targets"("stage_id");
ALTER TABLE "notification_targets" ADD CONSTRAINT "notification_targets_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "notification_deliveries" (
  "id" SERIAL NOT NULL,
  "target_id" INTEGER NOT NULL,
  "event" TEXT NOT NULL,
  "payload" JSONB NOT NULL,
  "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "last_error" TEXT,
  "response_code" INTEGER,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notification_deliveries_target_id_id_idx" ON "notification_deliveries"("target_id", "id" DESC);
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "notification_targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A pin or unpin changes what the stage page shows: announce it like a build change (build id 0).
CREATE FUNCTION "sprout_notify_stage"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sprout_events', 'b:' || NEW.id || ':0');
  RETURN NULL;
END $$;
CREATE TRIGGER "stages_notify_update"
  AFTER UPDATE OF "pinned_build", "pinned_at", "require_approval" ON "stages"
  FOR EACH ROW EXECUTE FUNCTION "sprout_notify_stage"();
