// End-to-end runs create and drop databases: refuse anything but a server on this machine (as dub's
// playwright/assert-local-database.ts does), so that a stray DATABASE_URL never points them at a
// shared or production server.
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]", ""]);

export function assertLocalDatabase(url: string | undefined, name: string): void {
  if (!url) return;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new Error(`${name} is not a valid database URL.`);
  }
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`${name} points at "${host}": end-to-end tests only run against a local PostgreSQL (localhost, 127.0.0.1 or ::1).`);
  }
}
