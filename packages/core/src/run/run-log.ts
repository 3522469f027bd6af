import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { RunStore } from "../store/run-store.js";
import type {
  LiveOnlyEvent,
  LiveOnlyEventInput,
  PersistedRunEvent,
  PersistedRunEventInput,
  RunEvent,
} from "../types/run-event.js";
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
 */
export class RunLog {
  private readonly options: RunLogOptions;
  private readonly unwritten: PersistedRunEvent[] = [];
  private readonly outbox: RunEvent[] = [];
  private outboxHead = 0;
  private writtenSeq: number;
  private assignedSeq: number;
  private writing: Promise<void> | undefined;
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
    applyEvent(this.options.state, event);
    this.unwritten.push(event);
    this.outbox.push(event);
    this.scheduleWrite();
    return event;
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
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
  }

  /** Stops accepting events. Events already appended are still written; await {@link flush} for them. */
  close(): void {
    this.closed = true;
  }

  private scheduleWrite(): void {
    if (this.writing || this.failure) return;
    this.writing = this.writeLoop().finally(() => {
      this.writing = undefined;
      // Events appended between the loop's last check and now would otherwise wait for the next append.
      if (this.unwritten.length > 0) this.scheduleWrite();
    });
  }

  private async writeLoop(): Promise<void> {
    // Let every event appended in this turn of the event loop join the batch (group commit): with fast
    // workers, a batch then holds many tasks' events and costs one store write instead of one each. An
    // in-memory store gains nothing from the wait, so its batch is what the current microtasks append.
    await (this.options.store.inMemory ? undefined : nextTurn());
    while (this.unwritten.length > 0 && !this.failure) {
      const batch = this.unwritten.splice(0, this.unwritten.length);
      try {
        await this.writeBatch(batch);
      } catch (error) {
        this.fail(error);
        return;
      }
      this.writtenSeq = batch[batch.length - 1]!.seq;
      this.drainOutbox();
    }
  }

  private async writeBatch(batch: PersistedRunEvent[]): Promise<void> {
    const attempts = this.options.writeAttempts ?? 4;
    const status = this.options.state.view.status;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.store.append({
          runId: this.options.state.view.id,
          expectedSeq: this.writtenSeq,
          events: batch,
          status,
        });
        return;
      } catch (error) {
        // A write that timed out may have landed all the same: its retry then conflicts with itself.
        if (attempt > 1 && isConflict(error) && (await this.landed(batch))) return;
        const retryable = OrchestrateError.isInstance(error) && error.code === "STORE_UNAVAILABLE";
        if (!retryable || attempt >= attempts) throw error;
        await sleep(50 * 2 ** attempt);
      }
    }
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

/** Resolves after the current turn of the event loop (`setImmediate` on Node), or after the microtasks elsewhere. */
function nextTurn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return immediate ? new Promise((resolve) => immediate(resolve)) : Promise.resolve();
}
