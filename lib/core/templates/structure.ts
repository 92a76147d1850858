// The shape CloudFormation requires before it reads anything else: sections that are mappings,
// resources with a Type, outputs with a Value, exports with a Name.
import { isObject, type TFail, type TJson } from "./errors";
import { FOR_EACH, LANGUAGE_EXTENSIONS } from "./language-extensions";

/** A key that includes a snippet where it stands (AWS::Include, or a macro): not a resource nor an output. */
export const INCLUDE = "Fn::Transform";

/** `forEachLeft`: the template declares AWS::LanguageExtensions but its loops were not expanded. */
export function checkStructure(root: TJson, fail: TFail, forEachLeft = false): void {
  const loopsNeedTransform = (section: string, key: string) => {
    if (FOR_EACH.test(key) && !forEachLeft) {
      fail(
        [section, key],
        `Fn::ForEach needs the ${LANGUAGE_EXTENSIONS} transform: add \`Transform: ${LANGUAGE_EXTENSIONS}\` at the top of the template`,
      );
    }
    return FOR_EACH.test(key);
  };
  for (const section of ["Parameters", "Mappings", "Conditions"]) {
    if (root[section] !== undefined && !isObject(root[section])) fail([section], "must be a mapping");
  }
  for (const key of Object.keys(isObject(root.Conditions) ? root.Conditions : {})) loopsNeedTransform("Conditions", key);

  const resources = root.Resources;
  if (resources === undefined) fail([], "Resources: missing (a template needs at least one resource)");
  if (!isObject(resources)) fail(["Resources"], "must be a mapping of logical IDs to resources");
  const ids = Object.keys(resources);
  if (ids.length === 0) fail(["Resources"], "must contain at least one resource");
  for (const id of ids) {
    if (loopsNeedTransform("Resources", id) || id === INCLUDE) continue;
    const resource = resources[id];
    if (!isObject(resource)) fail(["Resources", id], "must be a mapping with a Type");
    if (resource.Type === undefined) fail(["Resources", id], "has no Type (e.g. Type: AWS::SNS::Topic)");
    if (typeof resource.Type !== "string") fail(["Resources", id, "Type"], "must be a string (e.g. AWS::SNS::Topic)");
  }

  if (root.Outputs === undefined) return;
  if (!isObject(root.Outputs)) fail(["Outputs"], "must be a mapping of output names to outputs");
  for (const [id, output] of Object.entries(root.Outputs)) {
    if (loopsNeedTransform("Outputs", id) || id === INCLUDE) continue;
    if (!isObject(output) || output.Value === undefined) fail(["Outputs", id], "must be a mapping with a Value");
    const exported = output.Export;
    if (exported === undefined) continue;
    if (!isObject(exported) || exported.Name === undefined)
      fail(["Outputs", id, "Export"], "must be a mapping with a Name (Export: { Name: ... })");
    if (output.Condition !== undefined && typeof output.Condition !== "string")
      fail(["Outputs", id, "Condition"], "must name a condition of Conditions");
  }
}
