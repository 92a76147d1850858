// Expected errors: their message reaches the user as is. Anything else is logged and shown generically.
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** the stage is pinned after a rollback: unpin it, or force the deploy */
  locked: 423,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
} as const;
export type TErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: TErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: TErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; meta?: Record<string, unknown>; message?: string } | null;
  if (!err || err.code !== "P2002") return false;
  if (!constraint) return true;
  return JSON.stringify(err.meta ?? {}).includes(constraint) || String(err.message).includes(constraint);
}
