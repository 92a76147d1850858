// The history bench's data: one stage with N builds (3 steps each, a 4th for every 7th build),
// varied enough for the filters to mean something: 12 authors, who queued them, 40 commit-message
// words (picked by a hash of the number, so that they do not follow the statuses' cycles), failed and canceled builds, rollbacks and promotes, one build a minute up to now. Indexes
// of builds and steps are dropped while filling and made again after (faster than N inserts each).
import pg from "pg";
import { say } from "../support";

export const AUTHORS = ["Ada", "Jay", "Lin", "Maya", "Omar", "Priya", "Sven", "Tomás", "Uma", "Wei", "Yara", "Zoe"];
const WORDS =
  "fix add tune refactor bump remove cache retry billing login checkout invoice upload search notify queue index schema webhook token session export import metrics health deploy rollback render report email worker timeout limit config docs test flaky race memory leak".split(
    " ",
  );

export async function fill(url: string, builds: number): Promise<{ stageId: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The triggers (NOTIFY, counters) would run per row; nobody listens to a bench database.
    await client.query("SET session_replication_role = replica").catch(() => say("not a superuser: filling with the triggers on (slower)"));
    await client.query("SET maintenance_work_mem = '512MB'");
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes
       WHERE tablename IN ('builds', 'steps') AND indexname NOT LIKE '%_pkey'`,
    );
    for (const i of indexes) await client.query(`DROP INDEX "${i.name}"`);
    const {
      rows: [stage],
    } = await client.query<{ id: number }>(
      `WITH app AS (INSERT INTO apps (name) VALUES ('bench') RETURNING id)
       INSERT INTO stages (app_id, name, last_build_number) SELECT id, 'prod', $1 FROM app RETURNING id`,
      [builds],
    );
    await client.query(`INSERT INTO artifacts (digest, service, template, depends_on)
      SELECT 'sha256:' || encode(sha256(s::bytea), 'hex'), s, '{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}', '{}'
      FROM unnest(ARRAY['api', 'worker', 'web', 'billing']) s`);
    await client.query(
      `
      INSERT INTO builds (stage_id, number, kind, status, rollback_of, commit_sha, commit_message, commit_author, commit_branch,
                          triggered_by, target, release, log_seq, created_at, started_at, finished_at)
      SELECT $1, n,
             CASE WHEN n % 100 = 0 THEN 'rollback' WHEN n % 50 = 0 THEN 'promote' ELSE 'deploy' END::"BuildKind",
             CASE WHEN n % 40 = 0 THEN 'failed' WHEN n % 97 = 0 THEN 'canceled' ELSE 'success' END::"BuildStatus",
             CASE WHEN n % 100 = 0 THEN n - 1 END,
             md5(n::text) || left(md5((-n)::text), 8),
             initcap(w1) || ' ' || w2 || ' in the ' || w3 || ' handler (#' || n || ')',
             a || ' <' || lower(a) || '@example.com>', 'main',
             CASE WHEN n % 5 = 0 THEN 'user:' || lower(a) || '@example.com' ELSE 'token:ci-deploy' END,
             r.release, r.release, 12, t, t + interval '2 seconds', t + interval '40 seconds'
      FROM generate_series(1, $2::int) n
      CROSS JOIN LATERAL (SELECT
        (now() AT TIME ZONE 'UTC') - (($2::int - n) * interval '1 minute') AS t,
        ($3::text[])[1 + get_byte(h, 0) % array_length($3::text[], 1)] AS w1,
        ($3::text[])[1 + get_byte(h, 1) % array_length($3::text[], 1)] AS w2,
        ($3::text[])[1 + get_byte(h, 2) % array_length($3::text[], 1)] AS w3,
        ($4::text[])[1 + get_byte(h, 3) % array_length($4::text[], 1)] AS a
        FROM (SELECT decode(md5('w' || n), 'hex') AS h) hh) x
      CROSS JOIN (SELECT jsonb_object_agg(service, digest) AS release FROM artifacts WHERE service <> 'billing') r`,
      [stage!.id, builds, WORDS, AUTHORS],
    );
    await client.query(
      `
      INSERT INTO steps (build_id, key, service, action, status, phase, "after", position, artifact_digest, started_at, finished_at)
      SELECT b.id, a.service, a.service, 'update', CASE WHEN b.status = 'failed' AND a.service = 'web' THEN 'failed' ELSE 'success' END::"StepStatus",
             p.phase, p."after", p.phase - 1, a.digest, b.started_at, b.finished_at
      FROM builds b CROSS JOIN artifacts a
      JOIN (VALUES ('api', 1, '{}'::text[]), ('worker', 2, '{api}'), ('web', 3, '{worker}'), ('billing', 4, '{web}')) p(service, phase, "after")
        ON p.service = a.service
      WHERE b.stage_id = $1 AND (a.service <> 'billing' OR b.number % 7 = 0)`,
      [stage!.id],
    );
    const t0 = performance.now();
    for (const i of indexes) await client.query(i.def);
    say(`made the ${indexes.length} indexes of builds and steps again in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await client.query("VACUUM ANALYZE builds");
    await client.query("VACUUM ANALYZE steps");
    return { stageId: stage!.id };
  } finally {
    await client.end();
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of the query a filtered page runs, as list-builds.ts writes it. */
export async function explain(url: string, sql: string, params: unknown[]): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  } finally {
    await client.end();
  }
}
