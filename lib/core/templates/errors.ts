// How the template reader reports a bad template: the service, the place (path and line), what was
// expected and the fix, in one message a user can act on.

export type TPath = (string | number)[];

export class TemplateError extends Error {
  readonly line: number | null;
  /** The problem without the service and line: "Outputs.Arn.Export.Name: ..." */
  readonly reason: string;
  readonly service: string | null;
  constructor(reason: string, line: number | null = null, service: string | null = null) {
    const where = [service === null ? null : `${service} template`, line === null ? null : `line ${line}`].filter(Boolean).join(", ");
    super(where === "" ? reason : `${where}: ${reason}`);
    this.name = "TemplateError";
    this.line = line;
    this.reason = reason;
    this.service = service;
  }
}

export function formatPath(path: TPath): string {
  return path.map((seg, i) => (typeof seg === "number" ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join("");
}

/** Throws a TemplateError for a place in the template; an empty path is the whole template (no line). */
export type TFail = (path: TPath, reason: string) => never;

export function failer(lineOf: (path: TPath) => number | null, service: string | null): TFail {
  return (path, reason) => {
    if (path.length === 0) throw new TemplateError(reason, null, service);
    throw new TemplateError(`${formatPath(path)}: ${reason}`, lineOf(path), service);
  };
}

export type TJson = Record<string, unknown>;
export const isObject = (v: unknown): v is TJson => typeof v === "object" && v !== null && !Array.isArray(v);

/** Sets a key even when it is `__proto__`: templates are data, never prototypes. */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
