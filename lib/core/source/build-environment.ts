// The environment a service's build command runs with: built from nothing, never from the
// worker's own (which holds DATABASE_URL, AWS credentials and the like). Pure.

export const VARIABLE_NAME_RE = /^[A-Z_][A-Z0-9_]{0,127}$/;
export const VARIABLE_VALUE_MAX_LENGTH = 32 * 1024;

/** Names Sprout sets itself; a stage variable may not take them (the SPROUT_ prefix is kept whole). */
export const SET_BY_SPROUT = ["PATH", "HOME", "SPROUT_APP", "SPROUT_STAGE", "SPROUT_COMMIT", "SPROUT_BUILD_NUMBER"] as const;

/** Why a stage variable's name cannot be used, or null when it can (for the variables API and the worker). */
export function variableNameProblem(name: string): string | null {
  if (!VARIABLE_NAME_RE.test(name))
    return `variable name "${name.slice(0, 60)}" must be upper-case letters, digits and _, not starting with a digit (at most 128 characters), e.g. API_URL`;
  if ((SET_BY_SPROUT as readonly string[]).includes(name) || name.startsWith("SPROUT_"))
    return `variable name ${name} is reserved: Sprout sets ${name.startsWith("SPROUT_") ? "SPROUT_* variables" : name} for every build; pick another name`;
  return null;
}

/** Why a stage variable's value cannot be passed to a process, or null. */
export function variableValueProblem(name: string, value: string): string | null {
  if (value.includes("\u0000")) return `variable ${name} must not contain a NUL character`;
  if (value.length > VARIABLE_VALUE_MAX_LENGTH)
    return `variable ${name} is ${value.length} characters, over the limit of ${VARIABLE_VALUE_MAX_LENGTH}`;
  return null;
}

export class BuildEnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuildEnvironmentError";
  }
}

export interface TBuildEnvironmentInput {
  app: string;
  stage: string;
  /** The full sha being built. */
  commit: string;
  buildNumber: number;
  /** The stage's variables, secrets included (decrypted). */
  variables: Readonly<Record<string, string>>;
  /** An absolute folder of the app's own (so that ~/.aws, ~/.npmrc of the worker stay out of sight). */
  home: string;
  /** The PATH to give: where node, npm and the build tools are found. */
  path: string;
}

/**
 * Exactly PATH, HOME, SPROUT_APP, SPROUT_STAGE, SPROUT_COMMIT, SPROUT_BUILD_NUMBER and the stage's
 * variables. Throws a BuildEnvironmentError naming the first variable that cannot be passed.
 */
export function buildEnvironment(input: TBuildEnvironmentInput): Record<string, string> {
  if (!input.home.startsWith("/")) throw new BuildEnvironmentError(`the build's HOME must be an absolute folder, not "${input.home}"`);
  if (!input.path) throw new BuildEnvironmentError("the build's PATH must not be empty");
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.variables)) {
    const problem = variableNameProblem(name) ?? variableValueProblem(name, value);
    if (problem) throw new BuildEnvironmentError(`stage ${input.stage}: ${problem}`);
    env[name] = value;
  }
  return {
    ...env,
    PATH: input.path,
    HOME: input.home,
    SPROUT_APP: input.app,
    SPROUT_STAGE: input.stage,
    SPROUT_COMMIT: input.commit,
    SPROUT_BUILD_NUMBER: String(input.buildNumber),
  };
}
