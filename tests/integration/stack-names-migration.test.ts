// The migration that gives stacks stored names keeps existing deployments' names: a database as it
// was before it (the earlier migrations, real rows), then the migration's own SQL, then its result.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { adminQuery, dropDatabase, withDatabase } from "../support/database";

const MIGRATION = "20261127090000_stack_ownership";
const dir = path.resolve("prisma/migrations");
const sql = (name: string) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
const name = `sprout_it_migration_${process.pid}`;
const url = withDatabase(inject("serverUrl"), name);
let client: pg.Client;

beforeAll(async () => {
  await adminQuery(inject("serverUrl"), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminQuery(inject("serverUrl"), `CREATE DATABASE "${name}"`);
  client = new pg.Client({ connectionString: url });
  await client.connect();
  const earlier = fs
    .readdirSync(dir)
    .filter((m) => m < MIGRATION && fs.existsSync(path.join(dir, m, "migration.sql")))
    .sort();
  for (const m of earlier) await client.query(sql(m));
});
afterAll(async () => {
  await client?.end();
  await dropDatabase(url);
});

it("records every service a stage deployed or stepped through as {service}-{stage}, held as deployed before tags", async () => {
  await client.query(`
    INSERT INTO apps (id, name) VALUES (1, 'shop'), (2, 'blog');
    INSERT INTO stages (id, app_id, name, driver, endpoint) VALUES
      (1, 1, 'dev', 'cloudformation', 'http://127.0.0.1:4599'), (2, 1, 'prod', 'cloudformation', NULL), (3, 2, 'dev', 'sandbox', NULL);
    INSERT INTO artifacts (digest, service, template, depends_on) VALUES ('sha256:a', 'payments', '{}', '{}'), ('sha256:b', 'ledger', '{}', '{}');
    INSERT INTO builds (id, stage_id, number, kind, status, commit_sha, commit_message, triggered_by, target) VALUES
      (1, 1, 1, 'deploy', 'success', 'abc1234', 'm', 'test', '{}'), (2, 2, 1, 'deploy', 'failed', 'abc1234', 'm', 'test', '{}');
    INSERT INTO steps (build_id, service, action, status, phase, after, position, artifact_digest) VALUES
      (1, 'payments', 'create', 'success', 0, '{}', 0, 'sha256:a'), (1, 'ledger', 'create', 'success', 0, '{}', 1, 'sha256:b'),
      (2, 'ledger', 'create', 'failed', 0, '{}', 0, 'sha256:b');
    INSERT INTO live_state (stage_id, service, artifact_digest, build_number) VALUES
      (1, 'payments', 'sha256:a', 1), (1, 'ledger', 'sha256:b', 1), (3, 'payments', 'sha256:a', 7);
  `);
  await client.query(sql(MIGRATION));
  const { rows } = await client.query(`SELECT stage_id, service, name, legacy FROM stage_stacks ORDER BY stage_id, service`);
  expect(rows).toEqual([
    { stage_id: 1, service: "ledger", name: "ledger-dev", legacy: true },
    { stage_id: 1, service: "payments", name: "payments-dev", legacy: true },
    { stage_id: 2, service: "ledger", name: "ledger-prod", legacy: true },
    { stage_id: 3, service: "payments", name: "payments-dev", legacy: true },
  ]);
  const stages = await client.query(`SELECT id, stack_name_pattern, adopt_stacks FROM stages ORDER BY id`);
  expect(stages.rows).toEqual([1, 2, 3].map((id) => ({ id, stack_name_pattern: null, adopt_stacks: [] })));
  expect((await client.query(`SELECT count(*)::int AS n FROM stack_claims`)).rows).toEqual([{ n: 0 }]);
});
