// One pass over the template as written: functions that only AWS::LanguageExtensions allows are
// refused without the transform (AWS refuses them), and what AWS adds when it deploys (a snippet
// that Fn::Transform includes, a nested stack) is named in a warning, since Sprout cannot see it.
import { formatPath, isObject, type TFail, type TJson, type TPath } from "./errors";
import { FOR_EACH, LANGUAGE_EXTENSIONS } from "./language-extensions";
import type { TTemplateWarning } from "./parameters";

/** The sections where AWS evaluates intrinsic functions, and so where the transform's own apply. */
const EVALUATED = new Set(["Conditions", "Resources", "Outputs"]);
const NEEDS_TRANSFORM = `the ${LANGUAGE_EXTENSIONS} transform: add \`Transform: ${LANGUAGE_EXTENSIONS}\` at the top of the template`;

export interface TScanOptions {
  fail: TFail;
  /** The template declares AWS::LanguageExtensions. */
  languageExtensions: boolean;
  /** Counts a node against the time budget. */
  step: () => void;
}

export function scanTemplate(root: TJson, { fail, languageExtensions, step }: TScanOptions): TTemplateWarning[] {
  const warnings: TTemplateWarning[] = [];
  const walk = (v: unknown, path: TPath, evaluated: boolean): void => {
    step();
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...path, i], evaluated));
    if (!isObject(v)) return;
    for (const [key, x] of Object.entries(v)) {
      const at = [...path, key];
      if (key === "Fn::Transform") {
        warnings.push(includeWarning(x, at));
        continue;
      }
      if (evaluated && !languageExtensions) {
        const fn = FOR_EACH.test(key) ? "Fn::ForEach" : key === "Fn::Length" || key === "Fn::ToJsonString" ? key : null;
        if (fn) fail(at, `${fn} needs ${NEEDS_TRANSFORM}`);
        if (key === "Fn::FindInMap" && Array.isArray(x) && x.length === 4) {
          fail([...at, 3], `Fn::FindInMap's DefaultValue needs ${NEEDS_TRANSFORM}`);
        }
      }
      walk(x, at, evaluated || (path.length === 0 && EVALUATED.has(key)));
    }
  };
  walk(root, [], false);
  return warnings;
}

/** `Fn::Transform: { Name, Parameters }`: AWS::Include inserts a snippet from S3, any other name runs a macro. */
function includeWarning(spec: unknown, path: TPath): TTemplateWarning {
  const name = isObject(spec) && typeof spec.Name === "string" ? spec.Name : null;
  const unseen = "exports and imports it adds are not planned nor checked by Sprout";
  if (name === "AWS::Include") {
    const location = isObject(spec) && isObject(spec.Parameters) ? spec.Parameters.Location : undefined;
    const where = typeof location === "string" ? ` ${location}` : "";
    return {
      code: "include",
      message: `${formatPath(path)}: AWS::Include inserts the snippet${where} when AWS deploys, and Sprout cannot read it: ${unseen} (inline the snippet to have them checked)`,
    };
  }
  return {
    code: "transform",
    message: `${formatPath(path)}: Fn::Transform runs the macro ${name ?? "it names"} when AWS deploys: ${unseen}`,
  };
}

/** Nested stacks: their own templates make and need exports that Sprout never reads. */
export function nestedStackWarnings(resources: { logicalId: string; type: string }[]): TTemplateWarning[] {
  return resources
    .filter((r) => r.type === "AWS::CloudFormation::Stack")
    .map((r) => ({
      code: "nested-stack",
      message: `Resources.${r.logicalId} is a nested stack (AWS::CloudFormation::Stack): Sprout does not read its template, so the exports it makes and the imports it needs are not planned nor checked (deploy it as its own service to have them checked)`,
    }));
}
