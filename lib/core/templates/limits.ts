// The reader's limits. A template is read in the web process: one hostile text must not stall it
// (an alias bomb, a deep nest) nor crash it (a stack overflow).

/** CloudFormation's own limit for a template read from S3 (TemplateURL): 1 MB. */
export const MAX_TEMPLATE_BYTES = 1_048_576;
/** CloudFormation's limit for a template passed inline (TemplateBody); larger ones go through S3. */
export const MAX_INLINE_TEMPLATE_BYTES = 51_200;
/** YAML aliases (`*name`) in one template; real templates use a few. */
export const MAX_YAML_ALIASES = 100;
/** Nesting of mappings and lists; real templates stay under 30. */
export const MAX_TEMPLATE_DEPTH = 100;
/**
 * Nodes (mappings, lists, scalars) after aliases and Fn::ForEach are expanded. A 1 MB template has
 * about 100,000, and AWS holds the expanded template to its 1 MB limit too.
 */
export const MAX_TEMPLATE_NODES = 250_000;
/** Characters of all scalars after aliases and Fn::ForEach are expanded. */
export const MAX_TEMPLATE_CHARS = 4 * MAX_TEMPLATE_BYTES;

/** Counts what a template expands to, and refuses past the limits. */
export class Budget {
  nodes = 0;
  chars = 0;
  constructor(private readonly tooBig: (what: string) => never) {}
  node(chars = 0): void {
    this.nodes++;
    this.chars += chars;
    if (this.nodes > MAX_TEMPLATE_NODES) this.tooBig(`more than ${MAX_TEMPLATE_NODES.toLocaleString("en-US")} nodes`);
    if (this.chars > MAX_TEMPLATE_CHARS) this.tooBig(`more than ${MAX_TEMPLATE_CHARS.toLocaleString("en-US")} characters of text`);
  }
}
