-- Stacks belong to one app: each (stage, service) keeps the stack name it was given, a claim makes a
-- stack name in a shared target and region one app's, and a stage may list services whose untagged
-- stacks it adopts. Existing deployments keep their `{service}-{stage}` names: every service a stage
-- has deployed or stepped through is recorded with that name, as `legacy` (deployed before Sprout
-- tagged its stacks, so its stack is the stage's without the tags).

-- AlterTable
ALTER TABLE "stages" ADD COLUMN "stack_name_pattern" TEXT,
ADD COLUMN "adopt_stacks" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "stage_stacks" (
    "stage_id" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "legacy" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stage_stacks_pkey" PRIMARY KEY ("stage_id","service")
);

-- CreateTable
CREATE TABLE "stack_claims" (
    "target" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "app_id" INTEGER NOT NULL,
    "stage_id" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stack_claims_pkey" PRIMARY KEY ("target","region","name")
);

-- CreateIndex
CREATE UNIQUE INDEX "stage_stacks_stage_id_name_key" ON "stage_stacks"("stage_id", "name");

-- CreateIndex
CREATE INDEX "stage_stacks_name_idx" ON "stage_stacks"("name");

-- CreateIndex
CREATE INDEX "stack_claims_stage_id_service_idx" ON "stack_claims"("stage_id", "service");

-- AddForeignKey
ALTER TABLE "stage_stacks" ADD CONSTRAINT "stage_stacks_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stack_claims" ADD CONSTRAINT "stack_claims_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stack_claims" ADD CONSTRAINT "stack_claims_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing deployments keep their names (what Sprout named them before: {service}-{stage}).
INSERT INTO "stage_stacks" ("stage_id", "service", "name", "legacy")
SELECT DISTINCT s.id, u.service, u.service || '-' || s.name, true
FROM "stages" s
JOIN (
    SELECT stage_id, service FROM "live_state"
    UNION
    SELECT b.stage_id, st.service FROM "steps" st JOIN "builds" b ON b.id = st.build_id
) u ON u.stage_id = s.id
ON CONFLICT DO NOTHING;
