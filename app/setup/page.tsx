import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { hasUsers } from "@/lib/server/auth/users";
import { SetupForm } from "@/components/auth/setup-form";

export const metadata: Metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

// Only while the instance has no user (the action refuses too, whatever this page shows).
export default async function SetupPage() {
  if (await hasUsers()) redirect("/sign-in");
  return (
    <div className="mx-auto max-w-sm py-12">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Set up Sprout</h1>
      <p className="mt-1 text-sm text-slate-600">
        Create the instance admin: admin of every app, who adds the other members and their roles.
      </p>
      <SetupForm />
    </div>
  );
}
