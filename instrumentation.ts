// Checked once when a web process starts: a wrong secret key stops it at once with the reason,
// rather than at the first webhook or secret it would have to open; a missing one is warned of.
// (Node only: the check and its exit live in lib/server, never compiled for the edge runtime.)
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.DATABASE_URL) return;
  const { checkSecretKeyAtStart } = await import("@/lib/server/crypto/startup-check");
  await checkSecretKeyAtStart("[sprout]");
}
