import crypto from "node:crypto";

/**
 * An artifact is content-addressed: the same service, dependsOn, template text and parameter values
 * give the same digest. Parameters count only when there are some, so artifacts made before
 * parameters existed keep their digests.
 */
export function artifactDigest(
  service: string,
  dependsOn: readonly string[],
  template: string,
  parameters: Record<string, string> = {},
): string {
  const h = crypto.createHash("sha256");
  const params = Object.keys(parameters).length ? { parameters: Object.fromEntries(Object.entries(parameters).sort()) } : {};
  h.update(JSON.stringify({ service, dependsOn: [...dependsOn].sort(), template, ...params }));
  return `sha256:${h.digest("hex")}`;
}

/** A template given as an object is stored as pretty JSON; text is stored as given (JSON or YAML). */
export function templateText(template: unknown): string {
  return typeof template === "string" ? template : JSON.stringify(template, null, 2);
}
