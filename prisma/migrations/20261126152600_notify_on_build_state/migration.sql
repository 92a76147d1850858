-- Announce a build's changes that a page shows, not its bookkeeping: lease renewals and the log
-- counter (bumped by every log batch, which has its own notification) no longer wake every
-- watching page for an identical snapshot.
DROP TRIGGER "builds_notify" ON "builds";
CREATE TRIGGER "builds_notify_insert" AFTER INSERT ON "builds"
  FOR EACH ROW EXECUTE FUNCTION "sprout_notify_build"();
CREATE TRIGGER "builds_notify_update"
  AFTER UPDATE OF "status", "error", "cancel_requested", "started_at", "finished_at", "warnings", "release" ON "builds"
  FOR EACH ROW EXECUTE FUNCTION "sprout_notify_build"();
