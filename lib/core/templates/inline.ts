// CloudFormation takes a template inline (TemplateBody) up to 51,200 bytes; a larger one must be
// read from S3, which needs the stage's templateBucket. One message wherever Sprout finds it out: a
// deploy, the queueing of any build, or the step itself (a source build's template is made there).
import { substituteStage } from "./analyze";
import { MAX_INLINE_TEMPLATE_BYTES } from "./limits";
import { utf8Bytes } from "./parse";

/** The bytes CloudFormation receives: measured after `${stage}` is replaced, as the driver sends it. */
export function deployedTemplateBytes(template: string, stage: string): number {
  return utf8Bytes(substituteStage(template, stage));
}

/** Why a template of `bytes` cannot be deployed into `stage`, which has no templateBucket. */
export function inlineTooLargeMessage(subject: string, bytes: number, stage: string): string {
  const limit = MAX_INLINE_TEMPLATE_BYTES.toLocaleString("en-US");
  return `${subject} is ${bytes.toLocaleString("en-US")} bytes; CloudFormation takes at most ${limit} bytes inline. Name an S3 bucket in stage ${stage}'s settings (templateBucket) for Sprout to upload it to.`;
}
