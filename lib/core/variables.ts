// Stage variables in the pure core: what a secret's value must be, and CloudFormation parameter
// values that reference a variable (`{{secret:NAME}}`). Artifacts keep the reference; the worker
// resolves it when a step deploys, with the variables of the stage the build runs in, so that a
// promote or a rollback takes its target stage's values and no artifact ever holds a secret.

/** Shorter secrets would mask ordinary text in every log line (a secret "1" hides every digit 1). */
export const SECRET_MIN_LENGTH = 4;

const REF = /\{\{secret:([^{}]*)\}\}/g;

/** The variable names a parameter value references, in order, each once. */
export function variableRefs(value: string): string[] {
  return [...new Set([...value.matchAll(REF)].map((m) => m[1]!))];
}

export const hasVariableRef = (value: string): boolean => variableRefs(value).length > 0;

/** A variable as the worker holds it: its value (decrypted) and whether it is a secret. */
export type TVariables = Readonly<Record<string, { value: string; secret: boolean }>>;

export type TResolved = { ok: true; values: Record<string, string> } | { ok: false; error: string };

const resolveValue = (value: string, variables: TVariables) => value.replace(REF, (_m, name: string) => variables[name]!.value);

/**
 * Every `{{secret:NAME}}` in the parameter values replaced with the stage's variable NAME, or which
 * parameter names a variable the stage does not have (and what to do).
 */
export function resolveParameters(parameters: Readonly<Record<string, string>>, variables: TVariables, stage: string): TResolved {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(parameters)) {
    const missing = variableRefs(value).filter((v) => !Object.hasOwn(variables, v));
    if (missing.length)
      return {
        ok: false,
        error: `Parameter ${name} references ${missing.map((m) => `{{secret:${m}}}`).join(", ")}, but stage ${stage} has no variable ${missing.join(", ")}: add it in the stage's settings (Variables), or change the parameter.`,
      };
    values[name] = resolveValue(value, variables);
  }
  return { ok: true, values };
}

/**
 * Parameter values read back from the account, as an artifact may keep them: where the recorded
 * value's references resolve to what is deployed, the reference; elsewhere any secret's value
 * replaced by its reference. A refresh thus never records a secret's value.
 */
export function unresolveParameters(
  actual: Readonly<Record<string, string>>,
  recorded: Readonly<Record<string, string>> | null,
  variables: TVariables,
): Record<string, string> {
  const secrets = Object.entries(variables)
    .filter(([, v]) => v.secret && v.value.length > 0)
    .sort(([, a], [, b]) => b.value.length - a.value.length);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(actual)) {
    const was = recorded && Object.hasOwn(recorded, name) ? recorded[name]! : null;
    if (
      was !== null &&
      hasVariableRef(was) &&
      variableRefs(was).every((v) => Object.hasOwn(variables, v)) &&
      resolveValue(was, variables) === value
    ) {
      out[name] = was;
      continue;
    }
    let text = value;
    for (const [secret, v] of secrets) text = text.split(v.value).join(`{{secret:${secret}}}`);
    out[name] = text;
  }
  return out;
}
