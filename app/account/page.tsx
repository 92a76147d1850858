import type { Metadata } from "next";
import { requireSignedIn } from "@/lib/server/page-access";
import { PageHeader } from "@/components/page-header";
import { ChangePasswordForm } from "@/components/auth/change-password-form";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const actor = await requireSignedIn();
  const email = actor.kind === "user" ? actor.email : actor.name;
  return (
    <>
      <PageHeader eyebrow="Your account" title={email} subtitle="A password an admin gave you is best changed here." />
      <section aria-labelledby="password-title" className="max-w-md rounded-xl border border-slate-200 bg-white shadow-xs">
        <h2 id="password-title" className="border-b border-slate-200 px-5 py-3 text-sm font-semibold text-slate-800">
          Change password
        </h2>
        <div className="px-5 py-4">
          <ChangePasswordForm />
        </div>
      </section>
    </>
  );
}
