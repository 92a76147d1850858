import { getAuth } from "@/lib/server/auth/auth";
import { withClientAddress } from "@/lib/server/auth/client-address";

// better-auth's endpoints: sign-in/email (rate limited per client address), sign-out, get-session,
// change-password.
export const dynamic = "force-dynamic";

const handler = async (req: Request) => (await getAuth()).handler(withClientAddress(req));

export { handler as GET, handler as POST };
