import {
  type CreateRunInput,
  type CreateRunResult,
  decodeCursor,
  encodeCursor,
  type ListRunsOptions,
  OrchestrateError,
  type PersistedRunEvent,
  type RunPage,
  type RunStore,
} from "@orchestrator-workers/core";
import type { StepResultStore } from "../workflow/step-result-store.js";
import { appendD1Events } from "./d1-append.js";
import type { D1DatabaseLike } from "./d1-database.js";
import { migrateD1 } from "./d1-migrations.js";
import { d1StepResults } from "./d1-step-results.js";
import { d1Tables } from "./d1-tables.js";
import { type RunRow, toRunRecord } from "./run-row.js";
import { toStoreError } from "./to-store-error.js";

/** Options for {@link d1Store}. */
export interface D1StoreOptions {
  /** Prefix of the store's tables and indexes, so that it can share a database with the app. @default "orchestrator_" */
  tablePrefix?: string;
  /** Clock for leases, epoch ms. @default Date.now */
  now?: () => number;
}

/** A {@link RunStore} on D1, plus the {@link StepResultStore} the Workflow uses. */
export interface D1RunStore extends RunStore {
  /** Creates or upgrades the schema: versioned, idempotent migrations. Call it before the first use (the Worker handler and the Workflow do). */
  setup(): Promise<void>;
  /** Step results of Workflow runs, in the same database. */
  readonly stepResults: StepResultStore;
}

const activeStatuses = "status IN ('queued', 'running')";
const finalStatuses = "status IN ('completed', 'failed', 'cancelled')";
const deleteChunk = 200;

/**
 * A {@link RunStore} on a D1 database: a runs table (record, lease) and an events table (one row per event,
 * JSON). Appends are one D1 batch, which D1 runs as a transaction, with the expected-seq check done by a
 * conditional `UPDATE`; leases are conditional `UPDATE`s; lists are keyset-paged by `(created_at, id)`. D1
 * cannot push, so readers poll (`subscribe` is absent). One event must fit in a D1 row (2 MB).
 *
 * @example
 * const store = d1Store(env.DB);
 * await store.setup();
 */
export function d1Store(db: D1DatabaseLike, options: D1StoreOptions = {}): D1RunStore {
  if (
    typeof db !== "object" ||
    db === null ||
    typeof db.prepare !== "function" ||
    typeof db.batch !== "function"
  ) {
    throw new OrchestrateError({
      code: "INVALID_ARGUMENT",
      option: "db",
      message: 'Invalid option "db": expected a D1 database binding (with prepare() and batch()).',
    });
  }
  const tables = d1Tables(options.tablePrefix ?? "orchestrator_");
  const now = options.now ?? Date.now;
  const { runs, events, stepResults } = tables;
  const query = async <TResult>(
    runId: string | undefined,
    work: () => Promise<TResult>,
  ): Promise<TResult> => {
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error, runId);
    }
  };
  const selectRun = (id: string) => db.prepare(`SELECT * FROM ${runs} WHERE id = ?1`).bind(id);

  return {
    stepResults: d1StepResults(db, tables),

    setup: () => migrateD1(db, tables),

    createRun: (input: CreateRunInput) =>
      query(input.id, async (): Promise<CreateRunResult> => {
        const statements = [
          db
            .prepare(
              `INSERT INTO ${runs} (id, tenant, idempotency_key, fingerprint, status, last_seq, created_at, updated_at, lease_owner, lease_expires_at)
               VALUES (?1, ?2, ?3, ?4, 'queued', 0, ?5, ?5, ?6, ?7) ON CONFLICT DO NOTHING`,
            )
            .bind(
              input.id,
              input.tenant ?? null,
              input.idempotencyKey ?? null,
              input.fingerprint ?? null,
              input.createdAt,
              input.lease?.owner ?? null,
              input.lease ? now() + input.lease.ttlMs : null,
            ),
          selectRun(input.id),
        ];
        if (input.idempotencyKey !== undefined) {
          statements.push(
            db
              .prepare(`SELECT * FROM ${runs} WHERE tenant IS ?1 AND idempotency_key = ?2`)
              .bind(input.tenant ?? null, input.idempotencyKey),
          );
        }
        const [inserted, byId, byKey] = await db.batch(statements);
        const created = inserted?.meta.changes === 1;
        const row = (created ? byId : byKey?.results[0] ? byKey : byId)?.results[0] as RunRow | undefined;
        if (!row) {
          throw new OrchestrateError({
            code: "STORE_CONFLICT",
            runId: input.id,
            message: `Run ${input.id} could not be created and no existing run matched; try again.`,
          });
        }
        return { run: toRunRecord(row), created };
      }),

    append: (input) => appendD1Events(db, tables, input),

    getRun: (runId) =>
      query(runId, async () => {
        const row = await selectRun(runId).first<RunRow>();
        return row ? toRunRecord(row) : undefined;
      }),

    readEvents: (runId, readOptions = {}) =>
      query(runId, async () => {
        const { results } = await db
          .prepare(`SELECT body FROM ${events} WHERE run_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3`)
          .bind(runId, readOptions.after ?? 0, readOptions.limit ?? -1)
          .all<{ body: string }>();
        return results.map((row) => JSON.parse(row.body) as PersistedRunEvent);
      }),

    async listRuns(listOptions: ListRunsOptions) {
      const cursor = listOptions.cursor === undefined ? undefined : decodeCursor(listOptions.cursor);
      return query(undefined, async (): Promise<RunPage> => {
        const statuses = listOptions.status === undefined ? null : JSON.stringify(listOptions.status);
        const { results } = await db
          .prepare(
            `SELECT * FROM ${runs} WHERE tenant IS ?1
               AND (?2 IS NULL OR status IN (SELECT value FROM json_each(?2)))
               AND (?3 IS NULL OR (created_at, id) < (?3, ?4))
             ORDER BY created_at DESC, id DESC LIMIT ?5`,
          )
          .bind(
            listOptions.tenant ?? null,
            statuses,
            cursor?.createdAt ?? null,
            cursor?.id ?? null,
            listOptions.limit + 1,
          )
          .all<RunRow>();
        const page = results.slice(0, listOptions.limit).map(toRunRecord);
        const last = page[page.length - 1];
        return results.length > listOptions.limit && last
          ? { runs: page, nextCursor: encodeCursor({ createdAt: last.createdAt, id: last.id }) }
          : { runs: page };
      });
    },

    acquireLease: (runId, owner, ttlMs) =>
      query(runId, async () => {
        const at = now();
        const [updated, existing] = await db.batch([
          db
            .prepare(
              `UPDATE ${runs} SET lease_owner = ?1, lease_expires_at = ?2
               WHERE id = ?3 AND (lease_owner IS NULL OR lease_owner = ?1 OR lease_expires_at <= ?4)`,
            )
            .bind(owner, at + ttlMs, runId, at),
          db.prepare(`SELECT 1 AS found FROM ${runs} WHERE id = ?1`).bind(runId),
        ]);
        if (!existing?.results.length) {
          throw new OrchestrateError({
            code: "RUN_NOT_FOUND",
            runId,
            message: `Run ${runId} does not exist in this store.`,
          });
        }
        return updated?.meta.changes === 1;
      }),

    renewLease: (runId, owner, ttlMs) =>
      query(runId, async () => {
        const at = now();
        // An expired lease is no longer held, even when nobody took it over yet.
        const result = await db
          .prepare(
            `UPDATE ${runs} SET lease_expires_at = ?1 WHERE id = ?2 AND lease_owner = ?3 AND lease_expires_at > ?4`,
          )
          .bind(at + ttlMs, runId, owner, at)
          .run();
        return result.meta.changes === 1;
      }),

    releaseLease: (runId, owner) =>
      query(runId, async () => {
        await db
          .prepare(
            `UPDATE ${runs} SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ?1 AND lease_owner = ?2`,
          )
          .bind(runId, owner)
          .run();
      }),

    findExpiredLeases: ({ now: at, limit }) =>
      query(undefined, async () => {
        const { results } = await db
          .prepare(
            `SELECT id FROM ${runs} WHERE ${activeStatuses} AND (lease_expires_at IS NULL OR lease_expires_at <= ?1)
             ORDER BY created_at, id LIMIT ?2`,
          )
          .bind(at, limit)
          .all<{ id: string }>();
        return results.map((row) => row.id);
      }),

    deleteRuns: ({ before }) =>
      query(undefined, async () => {
        let deleted = 0;
        for (;;) {
          const { results } = await db
            .prepare(`SELECT id FROM ${runs} WHERE ${finalStatuses} AND updated_at < ?1 LIMIT ?2`)
            .bind(before, deleteChunk)
            .all<{ id: string }>();
          if (results.length === 0) return deleted;
          const ids = JSON.stringify(results.map((row) => row.id));
          const inIds = "IN (SELECT value FROM json_each(?1))";
          const [, , removed] = await db.batch([
            db.prepare(`DELETE FROM ${events} WHERE run_id ${inIds}`).bind(ids),
            db.prepare(`DELETE FROM ${stepResults} WHERE run_id ${inIds}`).bind(ids),
            db.prepare(`DELETE FROM ${runs} WHERE id ${inIds} AND ${finalStatuses}`).bind(ids),
          ]);
          deleted += removed?.meta.changes ?? 0;
          if (results.length < deleteChunk) return deleted;
        }
      }),
  };
}
