import "server-only";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/core/errors";

/** Loads a page's data; an unknown app, stage or build renders the 404 page instead of an error. */
export async function loadOr404<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (e) {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  }
}
