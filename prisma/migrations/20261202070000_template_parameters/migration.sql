-- Templates read as CloudFormation reads them: a stage's account id (sandbox), template bucket
-- (templates over 51,200 bytes) and parameter values per service; an artifact's parameter values.
ALTER TABLE "stages" ADD COLUMN "account_id" TEXT;
ALTER TABLE "stages" ADD COLUMN "template_bucket" TEXT;
ALTER TABLE "stages" ADD COLUMN "parameters" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "artifacts" ADD COLUMN "parameters" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "sandbox_stacks" ADD COLUMN "parameters" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "artifacts" ADD COLUMN "no_echo" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
