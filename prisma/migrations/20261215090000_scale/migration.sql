-- Growing past one machine: worker heartbeats (health, the pool's size), who ran each step and
-- each attempt at it (step_runs, written by a trigger from the steps' own status changes), counters
-- kept by the database for the metrics, the instance's cap on builds per app, and the indexes the
-- history's filters and a long log's tail read.

-- ---------------------------------------------------------------- workers
CREATE TABLE "workers" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "builds" INTEGER NOT NULL,
    "heartbeat_ms" INTEGER NOT NULL DEFAULT 5000,
    "lock_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stopped_at" TIMESTAMP(3),
    CONSTRAINT "workers_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workers_heartbeat_at_idx" ON "workers"("heartbeat_at");

-- Claiming a build, in one round trip (lib/worker/build/claim.ts): a queued build only while its
-- app has fewer than p_cap builds running (counted under the app row's lock, so two claims of one
-- app go one at a time; each statement of a volatile function reads a fresh snapshot, so the count
-- sees the claim that held the lock before), and never while another build of its stage runs.
-- Answers 'claimed', 'full' (the app is at its cap), 'busy' (its stage runs another, or its lease
-- holds) or 'gone'.
CREATE FUNCTION "sprout_claim_build"(p_build INTEGER, p_from "BuildStatus", p_worker TEXT, p_lease_ms INTEGER, p_cap INTEGER)
RETURNS TEXT LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_app INTEGER;
  v_stage INTEGER;
  v_running INTEGER;
BEGIN
  SELECT st.app_id, b.stage_id INTO v_app, v_stage FROM builds b JOIN stages st ON st.id = b.stage_id WHERE b.id = p_build;
  IF v_app IS NULL THEN RETURN 'gone'; END IF;
  IF p_from = 'queued' THEN
    PERFORM 1 FROM apps WHERE id = v_app FOR UPDATE;
    SELECT count(*) INTO v_running FROM builds b JOIN stages st ON st.id = b.stage_id
      WHERE st.app_id = v_app AND b.status = 'running';
    IF v_running >= p_cap THEN RETURN 'full'; END IF;
  END IF;
  UPDATE builds SET status = 'running', started_at = coalesce(started_at, clock_timestamp()), worker_id = p_worker,
    lease_until = now() + p_lease_ms * interval '1 millisecond'
  WHERE id = p_build AND status = p_from
    -- a running build is taken over only once its lease ran out (or by the worker that holds it)
    AND (p_from = 'queued' OR lease_until < now() OR worker_id = p_worker)
    AND NOT EXISTS (SELECT 1 FROM builds o WHERE o.stage_id = v_stage AND o.status = 'running' AND o.id <> p_build);
  IF FOUND THEN RETURN 'claimed'; END IF;
  RETURN 'busy';
END $$;

-- ---------------------------------------------------------------- who ran a step
ALTER TABLE "steps" ADD COLUMN "worker_id" TEXT;

CREATE TABLE "step_runs" (
    "id" SERIAL NOT NULL,
    "step_id" INTEGER NOT NULL,
    "build_id" INTEGER NOT NULL,
    "worker_id" TEXT,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT clock_timestamp(),
    "ended_at" TIMESTAMP(3),
    "outcome" TEXT,
    CONSTRAINT "step_runs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "step_runs_step_id_idx" ON "step_runs"("step_id");
CREATE INDEX "step_runs_build_id_idx" ON "step_runs"("build_id");
ALTER TABLE "step_runs" ADD CONSTRAINT "step_runs_step_id_fkey" FOREIGN KEY ("step_id") REFERENCES "steps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------- counters for /api/metrics
-- Rows are deltas, only ever inserted by the triggers below and by the worker; the metrics read
-- sums them and folds them into one row per series now and then (lib/server/metrics). Inserting
-- never waits for another writer, unlike a counter row updated in place.
CREATE TABLE "metric_counts" (
    "name" TEXT NOT NULL,
    "labels" TEXT NOT NULL DEFAULT '',
    "value" DOUBLE PRECISION NOT NULL
);
CREATE INDEX "metric_counts_name_idx" ON "metric_counts"("name", "labels");

-- builds by status: +1 for the new status, -1 for the old one
CREATE FUNCTION "sprout_count_builds_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metric_counts (name, labels, value)
    SELECT 'builds', status::text, count(*) FROM new_rows GROUP BY status;
  RETURN NULL;
END $$;
CREATE TRIGGER "builds_count_insert" AFTER INSERT ON "builds"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "sprout_count_builds_insert"();

CREATE FUNCTION "sprout_count_builds_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metric_counts (name, labels, value)
    SELECT 'builds', status::text, -count(*) FROM old_rows GROUP BY status;
  RETURN NULL;
END $$;
CREATE TRIGGER "builds_count_delete" AFTER DELETE ON "builds"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "sprout_count_builds_delete"();

CREATE FUNCTION "sprout_count_builds_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metric_counts (name, labels, value) VALUES ('builds', OLD.status::text, -1), ('builds', NEW.status::text, 1);
  RETURN NULL;
END $$;
CREATE TRIGGER "builds_count_update" AFTER UPDATE OF "status" ON "builds"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION "sprout_count_builds_update"();

INSERT INTO metric_counts (name, labels, value) SELECT 'builds', status::text, count(*) FROM builds GROUP BY status;

-- A step that starts running opens a run (with the worker that set it running); a step that stops
-- running closes it with its outcome, and its duration is counted in the histogram of its stage's
-- driver and its action (bucket bounds in seconds, as lib/server/metrics/collect.ts reads them).
CREATE FUNCTION "sprout_step_runs"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  secs DOUBLE PRECISION;
  drv TEXT;
  le TEXT;
BEGIN
  IF NEW.status = 'running' AND OLD.status IS DISTINCT FROM 'running' THEN
    INSERT INTO step_runs (step_id, build_id, worker_id) VALUES (NEW.id, NEW.build_id, NEW.worker_id);
  ELSIF OLD.status = 'running' AND NEW.status <> 'running' THEN
    UPDATE step_runs SET ended_at = clock_timestamp(), outcome = NEW.status::text
      WHERE step_id = NEW.id AND ended_at IS NULL;
    IF NEW.started_at IS NOT NULL AND NEW.status <> 'pending' THEN
      secs := greatest(0, extract(epoch FROM (coalesce(NEW.finished_at, clock_timestamp()::timestamp) - NEW.started_at)));
      SELECT st.driver::text INTO drv FROM builds b JOIN stages st ON st.id = b.stage_id WHERE b.id = NEW.build_id;
      le := (SELECT min(x)::text FROM unnest(ARRAY[1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600]) x WHERE secs <= x);
      INSERT INTO metric_counts (name, labels, value) VALUES
        ('step_seconds_bucket', drv || ',' || NEW.action::text || ',' || coalesce(le, '+Inf'), 1),
        ('step_seconds_sum', drv || ',' || NEW.action::text, secs),
        ('step_seconds_count', drv || ',' || NEW.action::text, 1);
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "steps_runs" AFTER UPDATE OF "status" ON "steps"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION "sprout_step_runs"();

-- ---------------------------------------------------------------- the history's filters
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "builds_stage_id_status_number_idx" ON "builds"("stage_id", "status", "number" DESC);
CREATE INDEX "builds_stage_id_kind_number_idx" ON "builds"("stage_id", "kind", "number" DESC);
CREATE INDEX "builds_stage_id_created_at_idx" ON "builds"("stage_id", "created_at");
-- text in the commit message, the start of its sha (a sha's random trigrams would make a
-- trigram index costly to write), and the commit's author or whoever queued it (ILIKE '%…%')
CREATE INDEX "builds_commit_message_trgm_idx" ON "builds" USING gin ("commit_message" gin_trgm_ops);
CREATE INDEX "builds_stage_id_commit_sha_idx" ON "builds"("stage_id", "commit_sha" text_pattern_ops);
CREATE INDEX "builds_people_trgm_idx" ON "builds" USING gin ((coalesce("commit_author", '') || ' ' || "triggered_by") gin_trgm_ops);
CREATE INDEX "steps_service_build_id_idx" ON "steps"("service", "build_id");

-- a step's log read from its end (the build page opens on a long log's tail)
CREATE INDEX "log_lines_build_id_service_seq_idx" ON "log_lines"("build_id", "service", "seq");
