import type { Metadata } from "next";
import "./globals.css";
import { Providers } from "./providers";
import { Suspense } from "react";
import { NavigationProgress } from "@/components/navigation-progress";
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
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-blue-800 shadow-lg ring-2 ring-blue-600 focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          Skip to content
        </a>
        <Providers>
          <TopBar user={user} />
          <div className="relative mx-auto max-w-6xl">
            <main id="main" tabIndex={-1} className="px-4 py-6 outline-none sm:px-6 sm:py-8">
              {children}
            </main>
            <Suspense>
              <NavigationProgress />
            </Suspense>
          </div>
        </Providers>
      </body>
    </html>
  );
}
