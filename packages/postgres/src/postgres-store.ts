import {
  type AppendInput,
  type CreateRunInput,
  type CreateRunResult,
  checkAppendInput,
  decodeCursor,
  encodeCursor,
  invalidArgument,
  type ListRunsOptions,
  OrchestrateError,
  type PersistedRunEvent,
  type RunPage,
  type RunStore,
  runNotFound,
} from "@orchestrator-workers/core";
import pg from "pg";
import { migrate } from "./migrations.js";
import { notificationHub } from "./notification-hub.js";
import { createQueries, type NamedQuery } from "./queries.js";
import { type RunRow, toRunRecord } from "./run-row.js";
import { checkSchemaName } from "./schema-name.js";
import { toStoreError } from "./to-store-error.js";

/** Options for {@link postgresStore}: where the database is, and the schema the store owns there. */
export type PostgresStoreOptions = (
  | {
      /** A `postgres://` URL. The store creates a pool for it and ends it in `close()`. */
      connectionString: string;
      pool?: never;
    }
  | {
      /**
       * A pool to use instead. The store never ends it. Give it a `connectionTimeoutMillis` so that an
       * unreachable server fails fast with `STORE_UNAVAILABLE` instead of hanging.
       */
      pool: pg.Pool;
      connectionString?: never;
    }
) & {
  /** The schema holding the store's tables, created by `setup()`. Lowercase identifier. @default "orchestrator_workers" */
  schema?: string;
  /** How long to wait for a connection before failing with `STORE_UNAVAILABLE`, in ms. Only for a pool the store creates. @default 5000 */
  connectionTimeoutMs?: number;
  /** How long a query may take before it fails with `STORE_UNAVAILABLE`, in ms. Only for a pool the store creates. @default 10000 */
  queryTimeoutMs?: number;
  /** Most connections the created pool opens (one more is used while there are subscriptions). @default 10 */
  maxConnections?: number;
};

/** A {@link RunStore} on Postgres, with the methods every Postgres store has. */
export interface PostgresStore extends RunStore {
  /** Creates or migrates the schema. Idempotent; the store also runs it before its first use. */
  setup(): Promise<void>;
  /** Stops subscriptions and ends the pool if the store created it; leaves a passed `pool` open. */
  close(): Promise<void>;
  subscribe: NonNullable<RunStore["subscribe"]>;
}

const retentionBatch = 500;

/**
 * A durable {@link RunStore} on Postgres, shared by any number of processes: runs and events tables, each
 * append one statement with a conditional update of the run's last seq, leases by conditional update on the
 * database's clock, and push tailing with `LISTEN/NOTIFY` (the `subscribe` capability).
 *
 * @example
 * const store = postgresStore({ connectionString: process.env.DATABASE_URL!, schema: "orchestrator_workers" });
 * await store.setup();
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const schema = checkSchemaName(options.schema ?? "orchestrator_workers");
  const ownsPool = options.pool === undefined;
  const pool = options.pool ?? createPool(options);
  const queries = createQueries(schema);
  const channel = `${schema}_run_events`;
  let setupDone: Promise<void> | undefined;

  const setup = (): Promise<void> => {
    setupDone ??= migrate(pool, schema).catch((error: unknown) => {
      setupDone = undefined;
      throw toStoreError(error);
    });
    return setupDone;
  };

  const query = async <TRow extends pg.QueryResultRow>(statement: NamedQuery, values: unknown[]) => {
    await setup();
    try {
      return await pool.query<TRow>({ ...statement, values });
    } catch (error) {
      throw toStoreError(error);
    }
  };

  const readEvents = async (runId: string, after = 0, limit?: number): Promise<PersistedRunEvent[]> => {
    const { rows } = await query<{ body: PersistedRunEvent }>(queries.selectEvents, [
      runId,
      after,
      limit ?? null,
    ]);
    return rows.map((row) => row.body);
  };

  const hub = notificationHub({
    pool,
    channel,
    readEvents: (runId, after) => readEvents(runId, after),
    retryMs: 500,
  });

  const findExisting = async (input: CreateRunInput) => {
    if (input.idempotencyKey !== undefined) {
      const byKey =
        input.tenant === undefined
          ? await query<RunRow>(queries.selectRunByUntenantedKey, [input.idempotencyKey])
          : await query<RunRow>(queries.selectRunByTenantKey, [input.tenant, input.idempotencyKey]);
      if (byKey.rows[0]) return byKey.rows[0];
    }
    return (await query<RunRow>(queries.selectRun, [input.id])).rows[0];
  };

  return {
    setup,

    async createRun(input: CreateRunInput): Promise<CreateRunResult> {
      const inserted = await query<RunRow>(queries.insertRun, [
        input.id,
        input.tenant ?? null,
        input.idempotencyKey ?? null,
        input.fingerprint ?? null,
        input.createdAt,
        input.lease?.owner ?? null,
        input.lease?.ttlMs ?? null,
      ]);
      const row = inserted.rows[0] ?? (await findExisting(input));
      if (!row) throw new Error(`Run ${input.id} was neither inserted nor found; this is a bug.`);
      return { run: toRunRecord(row), created: inserted.rows.length > 0 };
    },

    async append(input: AppendInput): Promise<void> {
      checkAppendInput(input);
      const last = input.events[input.events.length - 1]!;
      const result = await query(queries.append, [
        input.runId,
        input.expectedSeq,
        last.seq,
        input.status,
        last.at,
        input.events.map((event) => event.seq),
        input.events.map((event) => event.type),
        input.events.map((event) => event.at),
        input.events.map((event) => JSON.stringify(event)),
        channel,
        `${last.seq}:${input.runId}`,
      ]);
      if (result.rows.length > 0) return;
      const current = (await query<RunRow>(queries.selectRun, [input.runId])).rows[0];
      if (!current) throw runNotFound(input.runId);
      throw new OrchestrateError({
        code: "STORE_CONFLICT",
        runId: input.runId,
        message: `Append to run ${input.runId} expected last seq ${input.expectedSeq}, but the store is at ${current.last_seq}.`,
      });
    },

    async getRun(runId: string) {
      const row = (await query<RunRow>(queries.selectRun, [runId])).rows[0];
      return row ? toRunRecord(row) : undefined;
    },

    readEvents: (runId, readOptions = {}) => readEvents(runId, readOptions.after, readOptions.limit),

    async listRuns(listOptions: ListRunsOptions): Promise<RunPage> {
      const cursor = listOptions.cursor === undefined ? undefined : decodeCursor(listOptions.cursor);
      const tenant = listOptions.tenant !== undefined;
      // One more than asked tells whether another page exists.
      const values: unknown[] = [listOptions.limit + 1, listOptions.status ?? null];
      if (tenant) values.push(listOptions.tenant);
      if (cursor) values.push(cursor.createdAt, cursor.id);
      const { rows } = await query<RunRow>(queries.listRuns(tenant, cursor !== undefined), values);
      const runs = rows.slice(0, listOptions.limit).map(toRunRecord);
      const last = runs[runs.length - 1];
      return rows.length > listOptions.limit && last
        ? { runs, nextCursor: encodeCursor({ createdAt: last.createdAt, id: last.id }) }
        : { runs };
    },

    async acquireLease(runId: string, owner: string, ttlMs: number) {
      const taken = await query(queries.acquireLease, [runId, owner, ttlMs]);
      if (taken.rows.length > 0) return true;
      if ((await query(queries.selectRun, [runId])).rows.length === 0) throw runNotFound(runId);
      return false;
    },

    async renewLease(runId: string, owner: string, ttlMs: number) {
      return (await query(queries.renewLease, [runId, owner, ttlMs])).rows.length > 0;
    },

    async releaseLease(runId: string, owner: string) {
      await query(queries.releaseLease, [runId, owner]);
    },

    async findExpiredLeases({ now, limit }: { now: number; limit: number }) {
      const { rows } = await query<{ id: string }>(queries.selectExpiredLeases, [now, limit]);
      return rows.map((row) => row.id);
    },

    async deleteRuns({ before }: { before: number }) {
      let deleted = 0;
      for (;;) {
        const { rows } = await query<{ count: number }>(queries.deleteFinalRuns, [before, retentionBatch]);
        const count = rows[0]?.count ?? 0;
        deleted += count;
        if (count < retentionBatch) return deleted;
      }
    },

    subscribe: (runId, after, listener) => hub.subscribe(runId, after, listener),

    async close() {
      hub.close();
      if (ownsPool && !pool.ended) await pool.end();
    },
  };
}

function createPool(options: PostgresStoreOptions): pg.Pool {
  if (typeof options.connectionString !== "string" || options.connectionString.length === 0) {
    throw new OrchestrateError({
      code: "INVALID_ARGUMENT",
      option: "connectionString",
      message: `Invalid option "connectionString": expected a postgres:// URL, or a "pool" instead, received ${JSON.stringify(options.connectionString)}.`,
    });
  }
  const connectionTimeoutMs = positiveInteger("connectionTimeoutMs", options.connectionTimeoutMs ?? 5_000);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    connectionTimeoutMillis: connectionTimeoutMs,
    query_timeout: positiveInteger("queryTimeoutMs", options.queryTimeoutMs ?? 10_000),
    max: positiveInteger("maxConnections", options.maxConnections ?? 10),
  });
  // An idle connection that breaks (server restart) is dropped by the pool; without a listener the error
  // event would crash the process. The next query reconnects or fails with STORE_UNAVAILABLE.
  pool.on("error", () => undefined);
  return pool;
}

function positiveInteger(option: string, value: number): number {
  if (Number.isInteger(value) && value > 0) return value;
  throw invalidArgument(option, "a positive integer", value);
}
