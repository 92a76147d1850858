import { errorResponse } from "@/lib/server/http";
import { AppError } from "@/lib/core/errors";

// Any /api path no route serves answers the API's JSON 404, not Next's HTML page: scripts and the
// dashboard's fetches always get `{ error: { code, message } }`.
const notFound = (req: Request) => errorResponse(new AppError("not_found", `No API route at ${req.method} ${new URL(req.url).pathname}.`));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
