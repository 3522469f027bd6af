import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { RunStore } from "../store/run-store.js";
import type {
  LiveOnlyEvent,
  LiveOnlyEventInput,
  PersistedRunEvent,
  PersistedRunEventInput,
  RunEvent,
} from "../types/run-event.js";
import type { Subtask } from "../types/subtask.js";
import type { Usage } from "../types/usage.js";
import { applyEvent, type RunState } from "./fold-run.js";
import { sleep } from "./sleep.js";

/** Options for {@link RunLog}. */
export interface RunLogOptions {
  store: RunStore;
  state: RunState;
  /** Called with each event in seq order, after it is stored (deltas: after the event before them is). */
  emit: (event: RunEvent) => void;
  /** Called once when a write fails for good; the log accepts no more events after it. */
  onWriteError: (error: OrchestrateError) => void;
  now: () => number;
  /** Attempts per batch for retryable store errors (`STORE_UNAVAILABLE`). @default 4 */
  writeAttempts?: number;
}

/**
 * The writer of one run's event log. `append` assigns the next seq, applies the event to the fold at once
 * (so the engine always decides on current state), and queues it; queued events are written in batches, one
 * write in flight at a time (group commit), and emitted only after their batch is stored. Live-only deltas
 * queue behind the events before them, so subscribers always see a task's `task-start` before its deltas.
 *
 * The write path is plain callbacks rather than async functions: a run writes a batch every few events, and
 * the promises and frames of an `async` loop cost more than an in-memory store's whole write.
 */
export class RunLog {
  private readonly options: RunLogOptions;
  private unwritten: PersistedRunEvent[] = [];
  private readonly outbox: RunEvent[] = [];
  private outboxHead = 0;
  private writtenSeq: number;
  private assignedSeq: number;
  /** Whether a batch is being written or is scheduled to be. */
  private writing = false;
  /** Resolvers of {@link flush} calls waiting for the writes to go idle. */
  private idleWaiters: Array<() => void> | undefined;
  private failure: OrchestrateError | undefined;
  private closed = false;

  constructor(options: RunLogOptions) {
    this.options = options;
    this.writtenSeq = options.state.view.seq;
    this.assignedSeq = options.state.view.seq;
  }

  /** The fold of every appended event, stored or not yet. */
  get state(): RunState {
    return this.options.state;
  }

  /** Whether the log has stopped accepting events (closed, or a write failed for good). */
  get isClosed(): boolean {
    return this.closed || this.failure !== undefined;
  }

  /**
   * Appends a persisted event. Ignored once the log is closed. The log takes ownership of `input`: it becomes
   * the event (gaining `runId`, `seq` and `at`), so pass a fresh object. Completing it in place keeps one
   * object per event, where a spread would copy every event through V8's slow, megamorphic path.
   */
  append(input: PersistedRunEventInput): PersistedRunEvent | undefined {
    if (this.isClosed) return undefined;
    const event = input as PersistedRunEvent;
    event.runId = this.options.state.view.id;
    event.seq = ++this.assignedSeq;
    event.at = this.options.now();
    this.commit(event);
    return event;
  }

  /*
   * The three events every subtask produces, built whole: an event completed in place by `append` grows an
   * out-of-object property array for `runId`, `seq` and `at`, which a run with thousands of subtasks holds in
   * memory thousands of times over. Same fields in the same order as `append` gives them.
   */

  /** Appends `plan-task`; see {@link append}. */
  planTask(task: Subtask): void {
    if (this.isClosed) return;
    const { id } = this.options.state.view;
    this.commit({ type: "plan-task", task, runId: id, seq: ++this.assignedSeq, at: this.options.now() });
  }

  /** Appends `task-start`; see {@link append}. */
  taskStart(taskId: string, attempt: number): void {
    if (this.isClosed) return;
    const { id } = this.options.state.view;
    this.commit({
      type: "task-start",
      taskId,
      attempt,
      runId: id,
      seq: ++this.assignedSeq,
      at: this.options.now(),
    });
  }

  /** Appends `task-end`; see {@link append}. */
  taskEnd(taskId: string, output: unknown, usage: Usage): void {
    if (this.isClosed) return;
    const { id } = this.options.state.view;
    this.commit({
      type: "task-end",
      taskId,
      output,
      usage,
      runId: id,
      seq: ++this.assignedSeq,
      at: this.options.now(),
    });
  }

  private commit(event: PersistedRunEvent): void {
    applyEvent(this.options.state, event);
    this.unwritten.push(event);
    this.outbox.push(event);
    this.scheduleWrite();
  }

  /** Emits a live-only delta event, in order behind the events appended before it. */
  delta(input: LiveOnlyEventInput): void {
    if (this.isClosed) return;
    const event = {
      ...input,
      runId: this.options.state.view.id,
      seq: this.assignedSeq,
      at: this.options.now(),
    } as LiveOnlyEvent;
    if (this.outboxHead === this.outbox.length && this.writtenSeq === this.assignedSeq) {
      this.options.emit(event);
      return;
    }
    this.outbox.push(event);
  }

  /** Resolves once every appended event is stored and emitted; rejects if a write failed for good. */
  flush(): Promise<void> {
    if (!this.writing) return this.failure ? Promise.reject(this.failure) : Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const wake = () => (this.failure ? reject(this.failure) : resolve());
      if (this.idleWaiters) this.idleWaiters.push(wake);
      else this.idleWaiters = [wake];
    });
  }

  /** Stops accepting events. Events already appended are still written; await {@link flush} for them. */
  close(): void {
    this.closed = true;
  }

  private scheduleWrite(): void {
    if (this.writing || this.failure) return;
    this.writing = true;
    // Let every event appended in this turn of the event loop join the batch (group commit): with fast
    // workers, a batch then holds many tasks' events and costs one store write instead of one each. An
    // in-memory store gains nothing from the wait, so its batch is what the current microtasks append.
    if (this.options.store.inMemory) queueMicrotask(this.writeNext);
    else nextTurn(this.writeNext);
  }

  /** Writes everything appended so far as one batch, then the next batch, until nothing is left. */
  private readonly writeNext = (): void => {
    if (this.failure || this.unwritten.length === 0) {
      this.writing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = undefined;
      if (waiters) for (const wake of waiters) wake();
      return;
    }
    const batch = this.unwritten;
    this.unwritten = [];
    this.writeBatch(batch, 1);
  };

  private writeBatch(batch: PersistedRunEvent[], attempt: number): void {
    let written: Promise<void>;
    try {
      written = this.options.store.append({
        runId: this.options.state.view.id,
        expectedSeq: this.writtenSeq,
        events: batch,
        status: this.options.state.view.status,
      });
    } catch (error) {
      written = Promise.reject(error);
    }
    written.then(
      () => this.written(batch),
      (error: unknown) => this.retryBatch(batch, attempt, error),
    );
  }

  private written(batch: PersistedRunEvent[]): void {
    this.writtenSeq = batch[batch.length - 1]!.seq;
    try {
      this.drainOutbox();
    } finally {
      // A listener that throws must not stall the log.
      this.writeNext();
    }
  }

  /** After a failed write: retries a retryable error with backoff, or fails the log. */
  private async retryBatch(batch: PersistedRunEvent[], attempt: number, error: unknown): Promise<void> {
    try {
      // A write that timed out may have landed all the same: its retry then conflicts with itself.
      if (attempt > 1 && isConflict(error) && (await this.landed(batch))) {
        this.written(batch);
        return;
      }
      const retryable = OrchestrateError.isInstance(error) && error.code === "STORE_UNAVAILABLE";
      if (!retryable || attempt >= (this.options.writeAttempts ?? 4)) throw error;
      await sleep(50 * 2 ** attempt);
    } catch (failure) {
      this.fail(failure);
      this.writeNext();
      return;
    }
    this.writeBatch(batch, attempt + 1);
  }

  /** Whether the store holds exactly `batch` after the written seq (an earlier attempt that did land). */
  private async landed(batch: PersistedRunEvent[]): Promise<boolean> {
    const stored = await this.options.store
      .readEvents(this.options.state.view.id, { after: this.writtenSeq, limit: batch.length })
      .catch(() => []);
    return (
      stored.length === batch.length &&
      stored.every(
        (event, index) =>
          event.seq === batch[index]!.seq &&
          event.type === batch[index]!.type &&
          event.at === batch[index]!.at,
      )
    );
  }

  private drainOutbox(): void {
    while (this.outboxHead < this.outbox.length) {
      const event = this.outbox[this.outboxHead]!;
      // A delta carries the seq of the event before it, so one rule orders both kinds.
      if (event.seq > this.writtenSeq) break;
      this.outboxHead++;
      this.options.emit(event);
    }
    if (this.outboxHead === this.outbox.length) {
      this.outbox.length = 0;
      this.outboxHead = 0;
    }
  }

  private fail(error: unknown): void {
    this.failure = OrchestrateError.isInstance(error)
      ? error
      : new OrchestrateError({
          code: "STORE_UNAVAILABLE",
          runId: this.options.state.view.id,
          message: `Writing run ${this.options.state.view.id} to the store failed: ${error instanceof Error ? error.message : String(error)}`,
          cause: error,
        });
    this.options.onWriteError(this.failure);
  }
}

function isConflict(error: unknown): boolean {
  return OrchestrateError.isInstance(error) && error.code === "STORE_CONFLICT";
}

/** Calls `callback` after the current turn of the event loop (`setImmediate` on Node), or after the microtasks elsewhere. */
function nextTurn(callback: () => void): void {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (immediate) immediate(callback);
  else queueMicrotask(callback);
}
