-- A stage's step time limit: a step that runs longer is stopped and fails with the limit named.
ALTER TABLE "stages" ADD COLUMN "step_timeout_minutes" DOUBLE PRECISION NOT NULL DEFAULT 60;
