import { DatabaseSync } from "node:sqlite";
import {
  type AppendInput,
  type CreateRunInput,
  type CreateRunResult,
  checkAppendInput,
  decodeCursor,
  encodeCursor,
  type ListRunsOptions,
  newRunRecord,
  OrchestrateError,
  type PersistedRunEvent,
  type RunPage,
  type RunRecord,
  type RunStore,
} from "@orchestrator-workers/core";
import { migrate } from "./migrations.js";
import { type RunRow, toRunRecord } from "./run-row.js";
import { prepareStatements, type Statements } from "./statements.js";
import { toStoreError } from "./to-store-error.js";

/** Options for {@link sqliteStore}: where the database is, plus tuning. */
export type SqliteStoreOptions = (
  | {
      /**
       * Path of the database file, created if missing. `":memory:"` gives a private in-memory database (gone
       * when the store closes). The store opens it, sets WAL and the busy timeout, and closes it in `close()`.
       */
      path: string;
      database?: never;
    }
  | {
      /**
       * An open database to use instead of a path. The store never closes it and leaves its settings alone: set
       * `PRAGMA journal_mode = WAL` and a busy timeout on it yourself when several processes share the file.
       */
      database: DatabaseSync;
      path?: never;
    }
) & {
  /** Clock for lease expiry, epoch milliseconds. @default Date.now */
  now?: () => number;
  /**
   * How long a write waits for another connection's lock before failing with `STORE_UNAVAILABLE`, in
   * milliseconds. Only for a database the store opens. @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * `"normal"` survives a crash of the process (the WAL is synced at checkpoints); `"full"` also survives a
   * power loss, at the cost of a sync per append. Only for a database the store opens. @default "normal"
   */
  synchronous?: "normal" | "full";
};

/** A {@link RunStore} on SQLite, with the methods every SQLite store has. */
export interface SqliteStore extends RunStore {
  /** Creates or migrates the schema. Idempotent; the store also runs it before its first use. */
  setup(): Promise<void>;
  /** Closes the database if the store opened it (a `path`); leaves a passed `database` open. */
  close(): Promise<void>;
}

const retentionBatch = 500;

/**
 * A durable {@link RunStore} on `node:sqlite` (Node ≥ 22.13): the embedded default for one machine. WAL mode,
 * one write transaction per append with a conditional update of the run's last seq, statements prepared once.
 * Several processes may share one file; each append is atomic and conflicts are `STORE_CONFLICT`.
 *
 * @example
 * const store = sqliteStore({ path: "./data/runs.db" });
 * await store.setup();
 */
export function sqliteStore(options: SqliteStoreOptions): SqliteStore {
  const ownsDatabase = options.database === undefined;
  const database = options.database ?? openDatabase(options);
  const now = options.now ?? Date.now;
  let statements: Statements | undefined;
  let closed = false;

  const ready = (): Statements => {
    if (!statements) {
      migrate(database);
      statements = prepareStatements(database);
    }
    return statements;
  };

  /** Runs `body` in a write transaction; a synchronous body means no other call can interleave with it. */
  const inTransaction = <TResult>(body: (prepared: Statements) => TResult): TResult => {
    const prepared = ready();
    prepared.begin.run();
    try {
      const result = body(prepared);
      prepared.commit.run();
      return result;
    } catch (error) {
      prepared.rollback.run();
      throw error;
    }
  };

  const guarded = <TResult>(body: () => TResult): Promise<TResult> => {
    try {
      return Promise.resolve(body());
    } catch (error) {
      return Promise.reject(toStoreError(error));
    }
  };

  const findExisting = (prepared: Statements, input: CreateRunInput): RunRecord | undefined => {
    let row: RunRow | undefined;
    if (input.idempotencyKey !== undefined) {
      row =
        input.tenant === undefined
          ? prepared.selectRunByUntenantedKey.get(input.idempotencyKey)
          : prepared.selectRunByTenantKey.get(input.tenant, input.idempotencyKey);
    }
    row ??= prepared.selectRun.get(input.id);
    return row ? toRunRecord(row) : undefined;
  };

  return {
    setup: () => guarded(() => void ready()),

    createRun: (input: CreateRunInput) =>
      guarded((): CreateRunResult => {
        const prepared = ready();
        const lease = input.lease;
        const inserted = prepared.insertRun.run({
          id: input.id,
          tenant: input.tenant ?? null,
          idempotencyKey: input.idempotencyKey ?? null,
          fingerprint: input.fingerprint ?? null,
          createdAt: input.createdAt,
          leaseOwner: lease?.owner ?? null,
          leaseExpiresAt: lease ? now() + lease.ttlMs : null,
        });
        if (inserted.changes > 0) return { run: newRunRecord(input), created: true };
        const run = findExisting(prepared, input);
        if (!run) throw new Error(`Run ${input.id} was neither inserted nor found; this is a bug.`);
        return { run, created: false };
      }),

    append: (input: AppendInput) =>
      guarded(() => {
        checkAppendInput(input);
        inTransaction((prepared) => {
          const last = input.events[input.events.length - 1]!;
          const advanced = prepared.advanceRun.run(
            last.seq,
            input.status,
            last.at,
            input.runId,
            input.expectedSeq,
          );
          if (advanced.changes === 0) throw conflictOrNotFound(prepared, input);
          for (const event of input.events) {
            prepared.insertEvent.run(input.runId, event.seq, event.type, event.at, JSON.stringify(event));
          }
        });
      }),

    getRun: (runId: string) =>
      guarded(() => {
        const row = ready().selectRun.get(runId);
        return row ? toRunRecord(row) : undefined;
      }),

    readEvents: (runId: string, readOptions: { after?: number; limit?: number } = {}) =>
      guarded(() => {
        const rows = ready().selectEvents.all(runId, readOptions.after ?? 0, readOptions.limit ?? -1);
        return rows.map((row) => JSON.parse(String(row.body)) as PersistedRunEvent);
      }),

    listRuns: (listOptions: ListRunsOptions) =>
      guarded((): RunPage => {
        const prepared = ready();
        const cursor = listOptions.cursor === undefined ? undefined : decodeCursor(listOptions.cursor);
        const parameters = {
          tenant: listOptions.tenant ?? null,
          statuses: listOptions.status ? JSON.stringify(listOptions.status) : null,
          // One more than asked tells whether another page exists.
          limit: listOptions.limit + 1,
        };
        const rows = cursor
          ? prepared.listRunsAfter.all({ ...parameters, createdAt: cursor.createdAt, id: cursor.id })
          : prepared.listRuns.all(parameters);
        const runs = rows.slice(0, listOptions.limit).map(toRunRecord);
        const last = runs[runs.length - 1];
        return rows.length > listOptions.limit && last
          ? { runs, nextCursor: encodeCursor({ createdAt: last.createdAt, id: last.id }) }
          : { runs };
      }),

    acquireLease: (runId: string, owner: string, ttlMs: number) =>
      guarded(() => {
        const prepared = ready();
        const at = now();
        const taken = prepared.acquireLease.run({ id: runId, owner, expiresAt: at + ttlMs, now: at });
        if (taken.changes > 0) return true;
        if (!prepared.selectRun.get(runId)) throw notFound(runId);
        return false;
      }),

    renewLease: (runId: string, owner: string, ttlMs: number) =>
      guarded(() => {
        const at = now();
        return ready().renewLease.run({ id: runId, owner, expiresAt: at + ttlMs, now: at }).changes > 0;
      }),

    releaseLease: (runId: string, owner: string) =>
      guarded(() => {
        ready().releaseLease.run(runId, owner);
      }),

    findExpiredLeases: ({ now: at, limit }: { now: number; limit: number }) =>
      guarded(() =>
        ready()
          .selectExpiredLeases.all(at, limit)
          .map((row) => String(row.id)),
      ),

    deleteRuns: ({ before }: { before: number }) =>
      guarded(() => {
        let deleted = 0;
        // Batches keep each write transaction short, so that appends of other processes are not held up.
        for (;;) {
          const count = inTransaction((prepared) => {
            const ids = prepared.selectFinalBefore.all(before, retentionBatch).map((row) => String(row.id));
            if (ids.length === 0) return 0;
            const list = JSON.stringify(ids);
            prepared.deleteEventsOf.run(list);
            return Number(prepared.deleteRunsIn.run(list).changes);
          });
          deleted += count;
          if (count < retentionBatch) return deleted;
        }
      }),

    close: () =>
      guarded(() => {
        statements = undefined;
        if (ownsDatabase && !closed) database.close();
        closed = true;
      }),
  };
}

function openDatabase(options: SqliteStoreOptions): DatabaseSync {
  const path = options.path;
  if (typeof path !== "string" || path.length === 0) {
    throw new OrchestrateError({
      code: "INVALID_ARGUMENT",
      option: "path",
      message: `Invalid option "path": expected a file path or ":memory:", or a "database" instead, received ${JSON.stringify(path)}.`,
    });
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new OrchestrateError({
      code: "INVALID_ARGUMENT",
      option: "busyTimeoutMs",
      message: `Invalid option "busyTimeoutMs": expected an integer >= 0, received ${String(busyTimeoutMs)}.`,
    });
  }
  if (
    options.synchronous !== undefined &&
    options.synchronous !== "normal" &&
    options.synchronous !== "full"
  ) {
    throw new OrchestrateError({
      code: "INVALID_ARGUMENT",
      option: "synchronous",
      message: `Invalid option "synchronous": expected "normal" or "full", received ${JSON.stringify(options.synchronous)}.`,
    });
  }
  const database = new DatabaseSync(path);
  database.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  database.exec("PRAGMA journal_mode = WAL");
  database.exec(`PRAGMA synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
  return database;
}

function conflictOrNotFound(prepared: Statements, input: AppendInput): OrchestrateError {
  const row = prepared.selectRun.get(input.runId);
  if (!row) return notFound(input.runId);
  return new OrchestrateError({
    code: "STORE_CONFLICT",
    runId: input.runId,
    message: `Append to run ${input.runId} expected last seq ${input.expectedSeq}, but the store is at ${String(row.last_seq)}.`,
  });
}

function notFound(runId: string): OrchestrateError {
  return new OrchestrateError({
    code: "RUN_NOT_FOUND",
    runId,
    message: `Run ${runId} does not exist in this store.`,
  });
}
