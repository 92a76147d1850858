// Checked once when a web process starts: a wrong secret key stops it at once with the reason,
// rather than at the first webhook or secret it would have to open.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.DATABASE_URL) return;
  const { secretKeyProblem } = await import("@/lib/server/crypto/key-check");
  const problem = await secretKeyProblem();
  if (problem) {
    console.error(`[sprout] ${problem}`);
    process.exit(1);
  }
}
