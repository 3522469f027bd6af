import type { RunStore } from "../store/run-store.js";

/**
 * Renews the leases of every run this process executes, with one timer for all of them (every third of the
 * lease), and reports a run whose lease another process took. The timer is unref'd and runs only while there
 * are runs to renew.
 */
export class LeaseKeeper {
  private readonly runs = new Map<string, () => void>();
  private timer: ReturnType<typeof setInterval> | undefined;

  private readonly store: RunStore;
  /** This process's name in leases. */
  readonly owner: string;
  /** Lease duration in milliseconds. */
  readonly leaseMs: number;

  constructor(store: RunStore, owner: string, leaseMs: number) {
    this.store = store;
    this.owner = owner;
    this.leaseMs = leaseMs;
  }

  /** Keeps the lease on `runId` alive; `onLost` runs once if it is lost. */
  track(runId: string, onLost: () => void): void {
    this.runs.set(runId, onLost);
    if (this.timer) return;
    this.timer = setInterval(() => this.renewAll(), Math.max(5, Math.floor(this.leaseMs / 3)));
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Stops renewing `runId`; with `release`, frees its lease so another process can take it at once. */
  async untrack(runId: string, release: boolean): Promise<void> {
    this.runs.delete(runId);
    if (this.runs.size === 0) this.stop();
    if (release) await this.store.releaseLease(runId, this.owner).catch(() => {});
  }

  /** Stops the timer. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private renewAll(): void {
    for (const [runId, onLost] of this.runs) {
      this.store.renewLease(runId, this.owner, this.leaseMs).then(
        (held) => {
          if (!held && this.runs.delete(runId)) onLost();
        },
        // A store that is briefly unreachable: the next tick tries again; the lease may expire meanwhile.
        () => {},
      );
    }
  }
}
