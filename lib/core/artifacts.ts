import crypto from "node:crypto";

/** An artifact is content-addressed: the same service, dependsOn and template text give the same digest. */
export function artifactDigest(service: string, dependsOn: readonly string[], template: string): string {
  const h = crypto.createHash("sha256");
  h.update(JSON.stringify({ service, dependsOn: [...dependsOn].sort(), template }));
  return `sha256:${h.digest("hex")}`;
}

/** A template given as an object is stored as pretty JSON; text is stored as given (JSON or YAML). */
export function templateText(template: unknown): string {
  return typeof template === "string" ? template : JSON.stringify(template, null, 2);
}
