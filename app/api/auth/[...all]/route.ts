import { getAuth } from "@/lib/server/auth/auth";

// better-auth's endpoints: sign-in/email (rate limited), sign-out, get-session, change-password.
export const dynamic = "force-dynamic";

const handler = async (req: Request) => (await getAuth()).handler(req);

export { handler as GET, handler as POST };
