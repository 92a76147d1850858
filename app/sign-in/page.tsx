import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { hasUsers } from "@/lib/server/auth/users";
import { currentActor } from "@/lib/server/page-access";
import { safeNext } from "@/lib/core/safe-next";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type TProps = { searchParams: Promise<{ next?: string | string[] }> };

export default async function SignInPage({ searchParams }: TProps) {
  // a fresh instance has nobody to sign in as: its first visitor creates the admin
  if (!(await hasUsers())) redirect("/setup");
  const raw = (await searchParams).next;
  const next = safeNext(Array.isArray(raw) ? raw[0] : raw);
  if (await currentActor()) redirect(next);
  return (
    <div className="mx-auto max-w-sm py-12">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Sign in to Sprout</h1>
      <p className="mt-1 text-sm text-slate-600">Your account is made by an admin of your Sprout; ask them if you have none.</p>
      <SignInForm next={next} />
    </div>
  );
}
