// The template reader: CloudFormation templates (JSON or YAML) read as CloudFormation reads them,
// for one stage. Pure: no Node, Prisma or Next. See README.md in this folder.
import { failer, type TJson } from "./errors";
import { LANGUAGE_EXTENSIONS, readTransforms } from "./language-extensions";
import { parseText } from "./parse";
import { checkStructure } from "./structure";
import { readTemplate, type TAnalyzeOptions } from "./analyze";

export { analyzeTemplate, serviceState, substituteStage, type TAnalyzeOptions, type TTemplateAnalysis } from "./analyze";
export { canonicalJson, exportValueText, isKnownExportValue } from "./canonical";
export { TemplateError } from "./errors";
export { deployedTemplateBytes, inlineTooLargeMessage } from "./inline";
export { MAX_INLINE_TEMPLATE_BYTES, MAX_TEMPLATE_BYTES, MAX_TEMPLATE_DEPTH, MAX_TEMPLATE_NODES, MAX_YAML_ALIASES } from "./limits";
export type { TTemplateWarning } from "./parameters";
export { partitionOf } from "./pseudo";

/**
 * The template as data, its structure checked. With `opts`, read for that stage (`${stage}`,
 * parameters) with Fn::ForEach expanded; without, as written (loops left in place).
 */
export function parseTemplate(text: string, opts?: TAnalyzeOptions): TJson {
  if (opts) return readTemplate(text, opts).root;
  const { root, lineOf } = parseText(text, null);
  const fail = failer(lineOf, null);
  checkStructure(root, fail, readTransforms(root, fail).includes(LANGUAGE_EXTENSIONS));
  return root;
}
