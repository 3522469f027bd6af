import type { ListOptions, Orchestrator, RunSummary } from "../orchestrator/orchestrator.js";
import type { RunStatus } from "../types/status.js";
import { httpError } from "./error-response.js";

const runStatuses: readonly RunStatus[] = ["queued", "running", "completed", "failed", "cancelled"];
const maxCursorLength = 1024;

/**
 * `GET /?limit=&cursor=&status=`: a page of the tenant's runs, newest first, as `{ runs, nextCursor? }`.
 * `limit` is 1 to 100 (default 20); `status` may repeat or be comma-separated; `cursor` is a `nextCursor`.
 */
export async function handleListRuns(
  orchestrator: Orchestrator,
  url: URL,
  tenant: string | undefined,
): Promise<{ runs: RunSummary[]; nextCursor?: string }> {
  const options: ListOptions = {};
  if (tenant !== undefined) options.tenant = tenant;
  const limit = url.searchParams.get("limit");
  if (limit !== null) {
    if (!/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > 100) {
      throw invalidQuery("limit", "an integer from 1 to 100", limit);
    }
    options.limit = Number(limit);
  }
  const statuses = url.searchParams.getAll("status").flatMap((value) => value.split(","));
  if (statuses.length > 0) {
    for (const status of statuses) {
      if (!runStatuses.includes(status as RunStatus)) {
        throw invalidQuery("status", `one or more of ${runStatuses.join(", ")}`, status);
      }
    }
    options.status = [...new Set(statuses as RunStatus[])];
  }
  const cursor = url.searchParams.get("cursor");
  if (cursor !== null) {
    if (cursor === "" || cursor.length > maxCursorLength) {
      throw invalidQuery("cursor", "the nextCursor of a previous page", cursor);
    }
    options.cursor = cursor;
  }
  const page = await orchestrator.list(options);
  return page.nextCursor === undefined
    ? { runs: page.runs }
    : { runs: page.runs, nextCursor: page.nextCursor };
}

function invalidQuery(option: string, expected: string, received: string) {
  return httpError(
    "INVALID_ARGUMENT",
    `Invalid query parameter "${option}": expected ${expected}, received ${JSON.stringify(received.slice(0, 40))}.`,
    option,
  );
}
