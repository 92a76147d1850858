-- A stage an admin marks protected opens the rollback dialog on Cancel; a build keeps the reason
-- it was queued for (a rollback's optional reason), shown in the history and the audit.
ALTER TABLE "stages" ADD COLUMN "protected" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "builds" ADD COLUMN "reason" TEXT;
