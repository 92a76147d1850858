import "server-only";
import { db } from "@/lib/server/db";
import { seal, sealedWithCurrentKey, unseal } from "./secret-box";

// A key rotation: every sealed value in the database is opened (with SPROUT_SECRET_KEY_PREVIOUS or
// SPROUT_SECRET_KEY, whichever sealed it) and sealed again with SPROUT_SECRET_KEY, in one
// transaction: either every value moves to the new key or none does. The key check value is one
// of them, so the next start checks the new key.

/** Columns that hold sealed values; `where` narrows to the rows that do (a plain variable is not sealed). */
export const SEALED_COLUMNS: { table: string; column: string; where?: string }[] = [
  { table: "apps", column: "webhook_secret" },
  { table: "stage_variables", column: "value", where: "secret" },
  { table: "settings", column: "value", where: "key = 'secret_key_check'" },
  // a webhook's or Slack's URL may carry a token; a webhook's signing key
  { table: "notification_targets", column: "url" },
  { table: "notification_targets", column: "secret" },
];

/** A sealed value's shape (secret-box.ts): version, key fingerprint, iv, tag, body. */
const SEALED = "^v1:[0-9a-f]{8}:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$";

export interface TRotation {
  /** "table.column" -> values sealed again */
  resealed: Record<string, number>;
  /** values already sealed with the current key */
  current: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The columns to rotate: SEALED_COLUMNS, and any other text column whose name says it holds a
 * secret (a notification target's, say), where its values are sealed.
 */
async function columns(tx: Pick<typeof db, "$queryRawUnsafe">) {
  const rows = await tx.$queryRawUnsafe<{ table: string; column: string }[]>(
    `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
     WHERE table_schema = current_schema() AND data_type = 'text'`,
  );
  const exists = (t: string, c: string) => rows.some((r) => r.table === t && r.column === c);
  const known = SEALED_COLUMNS.filter((c) => exists(c.table, c.column));
  const named = rows
    .filter((r) => /secret/i.test(r.column) && !known.some((k) => k.table === r.table && k.column === r.column))
    .map((r) => ({ table: r.table, column: r.column, where: undefined as string | undefined }));
  return [...known, ...named];
}

export async function rotateSealedValues(): Promise<TRotation> {
  const out: TRotation = { resealed: {}, current: 0 };
  await db.$transaction(
    async (tx) => {
      for (const { table, column, where } of await columns(tx)) {
        const col = quote(column);
        const rows = await tx.$queryRawUnsafe<{ ctid: string; value: string }[]>(
          `SELECT ctid::text AS ctid, ${col} AS value FROM ${quote(table)} WHERE ${col} ~ $1 ${where ? `AND (${where})` : ""} FOR UPDATE`,
          SEALED,
        );
        for (const row of rows) {
          if (sealedWithCurrentKey(row.value)) {
            out.current++;
            continue;
          }
          // unseal names what is wrong (a key neither SPROUT_SECRET_KEY nor _PREVIOUS): nothing is written then
          const plaintext = unseal(row.value);
          await tx.$executeRawUnsafe(`UPDATE ${quote(table)} SET ${col} = $1 WHERE ctid = $2::tid`, seal(plaintext), row.ctid);
          out.resealed[`${table}.${column}`] = (out.resealed[`${table}.${column}`] ?? 0) + 1;
        }
      }
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
  return out;
}
