import type { RunStore } from "../store/run-store.js";
import { isFinalRunStatus } from "../types/status.js";

/** Why a tracked run can no longer be executed here. */
export type LeaseLoss = "lease-lost" | "ended-elsewhere";

/**
 * Renews the leases of every run this process executes, with one timer for all of them (every third of the
 * lease), and reports a run that another process took over or ended (a cancel from another instance is seen
 * here within one renewal period). The timer is unref'd and runs only while there are runs to renew.
 */
export class LeaseKeeper {
  private readonly runs = new Map<string, (loss: LeaseLoss) => void>();
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

  /** Keeps the lease on `runId` alive; `onLost` runs once if the run is lost to another process. */
  track(runId: string, onLost: (loss: LeaseLoss) => void): void {
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
      this.renew(runId, onLost).catch(() => {
        // A store that is briefly unreachable: the next tick tries again; the lease may expire meanwhile.
      });
    }
  }

  private async renew(runId: string, onLost: (loss: LeaseLoss) => void): Promise<void> {
    if (!(await this.store.renewLease(runId, this.owner, this.leaseMs))) {
      if (this.runs.delete(runId)) onLost("lease-lost");
      return;
    }
    const record = await this.store.getRun(runId);
    if (record && isFinalRunStatus(record.status) && this.runs.delete(runId)) onLost("ended-elsewhere");
  }
}
