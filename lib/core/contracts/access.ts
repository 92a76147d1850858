// The JSON of access control (members, tokens, the audit trail) and what a server action returns.
import type { TRole } from "../roles";

export interface TMemberJson {
  userId: string;
  email: string;
  name: string;
  role: TRole;
  /** instance admins are admin of every app, whatever their membership says */
  instanceAdmin: boolean;
  since: string;
}

export interface TTokenJson {
  id: number;
  name: string;
  role: TRole;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TAuditEventJson {
  id: number;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown> | null;
  createdAt: string;
}

export type TActionResult<T> = { ok: true; data: T } | { ok: false; error: string; code: string };
