import { type AppendInput, checkAppendInput, OrchestrateError } from "@orchestrator-workers/core";
import type { D1DatabaseLike, D1StatementLike } from "./d1-database.js";
import type { D1Tables } from "./d1-tables.js";
import { isUniqueViolation, toStoreError } from "./to-store-error.js";

// D1 binds at most 100 parameters per statement: 2 shared ones plus 4 per event.
const eventsPerStatement = 24;
// Keep one statement's bound values well below what a D1 query may carry.
const bytesPerStatement = 1_500_000;

/**
 * Appends events with optimistic concurrency in one D1 batch (one transaction): first a conditional
 * `UPDATE runs ... WHERE last_seq = expectedSeq`, then inserts guarded by `EXISTS (run at the new last seq)`.
 * When the update matched nothing the guard is false and nothing is inserted; if another writer happened to
 * reach the very same seq, the events' primary key rejects the batch. Either way nothing is stored and the
 * caller gets `STORE_CONFLICT` (or `RUN_NOT_FOUND` when the run does not exist).
 */
export async function appendD1Events(
  db: D1DatabaseLike,
  tables: D1Tables,
  input: AppendInput,
): Promise<void> {
  checkAppendInput(input);
  const last = input.events[input.events.length - 1]!;
  const statements: D1StatementLike[] = [
    db
      .prepare(
        `UPDATE ${tables.runs} SET last_seq = ?1, status = ?2, updated_at = ?3 WHERE id = ?4 AND last_seq = ?5`,
      )
      .bind(last.seq, input.status, last.at, input.runId, input.expectedSeq),
  ];
  for (const chunk of chunkEvents(
    input.events.map((event) => [event.seq, event.type, event.at, JSON.stringify(event)] as const),
  )) {
    const rows = chunk.map((_, index) => {
      const base = 3 + index * 4;
      return `(?${base}, ?${base + 1}, ?${base + 2}, ?${base + 3})`;
    });
    statements.push(
      db
        .prepare(
          `INSERT INTO ${tables.events} (run_id, seq, type, at, body)
           SELECT ?1, column1, column2, column3, column4 FROM (VALUES ${rows.join(", ")})
           WHERE EXISTS (SELECT 1 FROM ${tables.runs} WHERE id = ?1 AND last_seq = ?2)`,
        )
        .bind(input.runId, last.seq, ...chunk.flat()),
    );
  }
  let changes: number;
  try {
    const results = await db.batch(statements);
    changes = results[0]?.meta.changes ?? 0;
  } catch (error) {
    if (isUniqueViolation(error)) throw await conflict(db, tables, input);
    throw toStoreError(error, input.runId);
  }
  if (changes !== 1) throw await conflict(db, tables, input);
}

type EventRow = readonly [seq: number, type: string, at: number, body: string];

function chunkEvents(rows: EventRow[]): EventRow[][] {
  const chunks: EventRow[][] = [];
  let current: EventRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (
      current.length > 0 &&
      (current.length >= eventsPerStatement || bytes + row[3].length > bytesPerStatement)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += row[3].length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

async function conflict(db: D1DatabaseLike, tables: D1Tables, input: AppendInput): Promise<OrchestrateError> {
  const row = await db
    .prepare(`SELECT last_seq FROM ${tables.runs} WHERE id = ?1`)
    .bind(input.runId)
    .first<{ last_seq: number }>();
  if (!row) {
    return new OrchestrateError({
      code: "RUN_NOT_FOUND",
      runId: input.runId,
      message: `Run ${input.runId} does not exist in this store.`,
    });
  }
  return new OrchestrateError({
    code: "STORE_CONFLICT",
    runId: input.runId,
    message: `Append to run ${input.runId} expected last seq ${input.expectedSeq}, but the store is at ${row.last_seq}.`,
  });
}
