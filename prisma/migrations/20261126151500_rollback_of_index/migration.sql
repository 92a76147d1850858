-- "Rolled back to by #M" on a build page: find a stage's rollbacks of one build without scanning its history.
CREATE INDEX "builds_stage_id_rollback_of_idx" ON "builds" ("stage_id", "rollback_of") WHERE "rollback_of" IS NOT NULL;
