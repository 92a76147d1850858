import { NextResponse } from "next/server";
import { health } from "@/lib/server/data/health";

export const dynamic = "force-dynamic";

/** No credentials: 200 when the database answers and a worker's heartbeat is fresh, else 503 saying which part failed. */
export async function GET() {
  const h = await health();
  return NextResponse.json(h, { status: h.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
