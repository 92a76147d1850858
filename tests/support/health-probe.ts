// A web process's GET /api/health, answered once on stdout as `{ status, body }`: for tests of a
// database that does not answer (this process gets its DATABASE_URL; the test's own client stays up).
// Run: node --conditions=react-server --import tsx tests/support/health-probe.ts
import { GET } from "@/app/api/health/route";

const res = await GET();
console.log(JSON.stringify({ status: res.status, body: await res.json() }));
// a connection still waiting on a silent server would keep the process alive
process.exit(0);
