import { z } from "zod";
import { withActor } from "@/lib/server/http";
import { requireInstanceAdmin } from "@/lib/server/auth/authz";
import { ZRepositoryInput } from "@/lib/core/validation";
import { previewRepository } from "@/lib/server/operations/app-from-repository";

export const dynamic = "force-dynamic";

/** body `{ repository: { url } }`: sprout.yml of its default branch, its services and their graph, or its problems by file and line. Creates nothing. */
export const POST = withActor(
  async ({ actor, body }) => {
    requireInstanceAdmin(actor, "Creating an app");
    return { preview: await previewRepository({ url: body.repository.url }) };
  },
  { body: z.object({ repository: ZRepositoryInput }).strict() },
);
