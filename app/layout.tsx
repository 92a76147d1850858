import type { Metadata } from "next";
import "./globals.css";
import { Providers } from "./providers";
import { TopBar } from "@/components/top-bar";
import { currentActor } from "@/lib/server/page-access";

export const metadata: Metadata = {
  title: { default: "Sprout", template: "%s · Sprout" },
  description: "Deploy dashboard for serverless monorepos",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  const user = actor?.kind === "user" ? { email: actor.email, isAdmin: actor.isAdmin } : null;
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <Providers>
          <TopBar user={user} />
          <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
