import type { PersistedRunEvent } from "../types/run-event.js";
import type { RunStatus } from "../types/status.js";

/** The summary a store keeps for each run, beside its event log. */
export interface RunRecord {
  /** The run id. */
  id: string;
  /** The run's status, as last written with an append. */
  status: RunStatus;
  /** The tenant the run belongs to, if any. */
  tenant?: string;
  /** The caller's idempotency key, if the run was created with one. */
  idempotencyKey?: string;
  /** A fingerprint of the creating request, to tell a replay from a conflicting reuse of the key. */
  fingerprint?: string;
  /** The seq of the last stored event; `0` before the first. */
  lastSeq: number;
  /** Creation time, epoch ms. */
  createdAt: number;
  /** Time of the last append: the `at` of the last stored event, epoch ms; `createdAt` before the first. */
  updatedAt: number;
}

/** What {@link RunStore.createRun} needs. */
export interface CreateRunInput {
  /** The run id to create. */
  id: string;
  /** Scope for the idempotency key and for listing. */
  tenant?: string;
  /** When set, a second create with the same `(tenant, idempotencyKey)` returns the first run instead. */
  idempotencyKey?: string;
  /** Stored as-is, returned with the record. */
  fingerprint?: string;
  /** Creation time, epoch ms. */
  createdAt: number;
  /** Takes the lease in the same atomic step, so that no other process can recover the run before it starts. */
  lease?: { owner: string; ttlMs: number };
}

/** What {@link RunStore.createRun} answers. */
export interface CreateRunResult {
  /** The run: the new one, or the existing one for the same idempotency key or id. */
  run: RunRecord;
  /** `false` when the run already existed. */
  created: boolean;
}

/** What {@link RunStore.append} needs. */
export interface AppendInput {
  /** The run to append to. */
  runId: string;
  /**
   * The seq of the last event the writer has seen. The append succeeds only when the stored last seq equals it;
   * otherwise it throws `STORE_CONFLICT` and stores nothing (optimistic concurrency).
   */
  expectedSeq: number;
  /** Events with consecutive seqs starting at `expectedSeq + 1`. At least one. */
  events: PersistedRunEvent[];
  /** The run's status after these events, stored in its {@link RunRecord}. */
  status: RunStatus;
}

/** Options for {@link RunStore.listRuns}. */
export interface ListRunsOptions {
  /** Only runs of this tenant; when absent, only runs without a tenant. */
  tenant?: string;
  /** Only runs with one of these statuses. */
  status?: RunStatus[];
  /** At most this many runs. */
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** A page of runs, newest first. */
export interface RunPage {
  runs: RunRecord[];
  /** Present when there may be more runs. */
  nextCursor?: string;
}

/** A lease on a run: the owner that executes it, and until when. */
export interface Lease {
  runId: string;
  owner: string;
  /** Epoch ms after which other processes may take the run over. */
  expiresAt: number;
}

/** Tail of a run's log pushed by a store that supports it. */
export type StoreListener = (events: PersistedRunEvent[]) => void;

/**
 * Where runs live: an append-only event log per run plus a small record, and leases for recovery. Writes are
 * O(1) per event: nothing rewrites a run. `runStoreContract()` from `@orchestrator-workers/core/testing` is the
 * conformance suite every implementation passes. Errors: `STORE_CONFLICT` for a lost optimistic race,
 * `STORE_UNAVAILABLE` when the backing service cannot be reached, as {@link OrchestrateError}s.
 * The strings of a record (id, tenant, idempotency key, fingerprint, lease owner) never contain NUL (`\u0000`),
 * which Postgres text cannot hold; events may carry any JSON, NUL included.
 */
export interface RunStore {
  /** Creates the schema if needed. Idempotent; safe to call on every start. Optional for stores that need none. */
  setup?(): Promise<void>;
  /** Creates a run atomically, idempotent on `id` and on `(tenant, idempotencyKey)`. */
  createRun(input: CreateRunInput): Promise<CreateRunResult>;
  /**
   * Appends events with an expected seq; see {@link AppendInput.expectedSeq}. `RUN_NOT_FOUND` for an unknown run;
   * `INVALID_ARGUMENT` for an empty batch or events whose `runId` or `seq` do not follow `expectedSeq`.
   */
  append(input: AppendInput): Promise<void>;
  /** A run's record, or `undefined`. */
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Stored events with `seq > after`, in order, at most `limit` (default: all). */
  readEvents(runId: string, options?: { after?: number; limit?: number }): Promise<PersistedRunEvent[]>;
  /**
   * Runs, newest first (by `createdAt`, then `id`, descending), paged by an opaque keyset cursor that stays
   * valid when the run it points at is deleted. A malformed cursor is `INVALID_ARGUMENT`.
   */
  listRuns(options: ListRunsOptions): Promise<RunPage>;
  /**
   * Takes the lease on a run for `owner` for `ttlMs` if it is free, expired, or already held by `owner`.
   * Answers whether `owner` now holds it.
   */
  acquireLease(runId: string, owner: string, ttlMs: number): Promise<boolean>;
  /**
   * Extends a lease `owner` holds. Answers `false` (and changes nothing) when `owner` no longer holds it: another
   * owner took it, or it expired (an expired lease is not renewed even when nobody took it over yet).
   */
  renewLease(runId: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases a lease `owner` holds; does nothing otherwise. */
  releaseLease(runId: string, owner: string): Promise<void>;
  /**
   * Ids of runs whose status is not final and that have no live lease (none, or one that expired at or before
   * `now`), oldest first (by `createdAt`, then `id`), at most `limit`. These are the runs `recover()` resumes.
   */
  findExpiredLeases(options: { now: number; limit: number }): Promise<string[]>;
  /** Deletes final runs (and their events and leases) last updated before `before` (epoch ms). Answers how many. */
  deleteRuns(options: { before: number }): Promise<number>;
  /**
   * Optional capability: pushes the stored events with `seq > after`, then those appended later by any process,
   * in order and without duplicates, until the returned function is called. Delivery is asynchronous for
   * network stores; an error thrown by `listener` never fails an append. Without it, readers poll
   * {@link RunStore.readEvents}.
   */
  subscribe?(runId: string, after: number, listener: StoreListener): () => void;
  /** Closes connections the store opened itself (never ones passed in). */
  close?(): Promise<void>;
  /**
   * Optional hint: the store lives in this process's memory, so a write costs next to nothing. A run's log
   * then writes each batch right after the current microtasks instead of waiting one turn of the event loop to
   * gather more events into it (group commit), which only pays off when a write is a round trip. @default false
   */
  readonly inMemory?: boolean;
}
