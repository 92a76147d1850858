import type { Metadata } from "next";
import { isInstanceAdmin } from "@/lib/server/auth/authz";
import { requireSignedIn } from "@/lib/server/page-access";
import { PageHeader } from "@/components/page-header";
import { NewAppForm } from "@/components/new-app/new-app-form";

export const metadata: Metadata = { title: "New app" };
export const dynamic = "force-dynamic";

export default async function NewAppPage() {
  const actor = await requireSignedIn();
  return (
    <>
      <PageHeader
        eyebrow="New app"
        title="An app from its repository"
        subtitle="Sprout reads sprout.yml from the default branch and shows its services before anything is created."
      />
      {isInstanceAdmin(actor) ? (
        <NewAppForm />
      ) : (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white p-5 text-sm text-slate-600" data-testid="new-app-forbidden">
          Creating an app needs an instance admin. Ask one to create it, or to make you an admin of an existing app.
        </p>
      )}
    </>
  );
}
