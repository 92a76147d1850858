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

/**
 * Time to read one template. The counts above keep every known bomb far under it (a template at the
 * caps reads in about a second); this bounds whatever they miss, with room for a loaded machine.
 */
export const MAX_ANALYSIS_MS = 5000;
/** The clock is read once per this many steps: reading it at every node would cost more than the step. */
const STEPS_PER_CLOCK_READ = 1024;

/** Counts what a template expands to and the time spent reading it, and refuses past the limits. */
export class Budget {
  nodes = 0;
  chars = 0;
  private steps = 0;
  private readonly started = performance.now();
  constructor(
    private readonly tooBig: (what: string) => never,
    private readonly tooSlow: (ms: number) => never,
    private readonly timeMs: number = MAX_ANALYSIS_MS,
  ) {}
  node(chars = 0): void {
    this.nodes++;
    this.chars += chars;
    if (this.nodes > MAX_TEMPLATE_NODES) this.tooBig(`more than ${MAX_TEMPLATE_NODES.toLocaleString("en-US")} nodes`);
    if (this.chars > MAX_TEMPLATE_CHARS) this.tooBig(`more than ${MAX_TEMPLATE_CHARS.toLocaleString("en-US")} characters of text`);
    this.step();
  }
  /** One step of work that does not add to the template (evaluating an expression, walking a node). */
  step(): void {
    if (++this.steps % STEPS_PER_CLOCK_READ === 0) this.checkTime();
  }
  /** Refuses once the time is spent; also called between phases that cannot be interrupted. */
  checkTime(): void {
    if (performance.now() - this.started >= this.timeMs) this.tooSlow(this.timeMs);
  }
}
