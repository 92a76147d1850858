"use client";
import "client-only";
import { createAuthClient } from "better-auth/client";

// The browser's side of better-auth: sign-in and sign-out go through its HTTP endpoints
// (/api/auth/*), where its rate limiter counts sign-in attempts.
export const authClient = createAuthClient();
