/** The window requests and tokens per minute are counted over, in milliseconds. */
export const rateWindowMs = 60_000;

/**
 * A sliding one-minute log of request start times, allowing at most `limit` starts in any window. It keeps the
 * last `limit` start times in a ring buffer, so both checking and recording are O(1).
 */
export class RequestWindow {
  private readonly startTimes: number[] = [];
  private oldestIndex = 0;

  constructor(private readonly limit: number) {}

  /** The earliest time, at or after `now`, at which another request may start. */
  nextAvailableAt(now: number): number {
    if (this.startTimes.length < this.limit) return now;
    return Math.max(now, this.startTimes[this.oldestIndex]! + rateWindowMs);
  }

  /** Records a request started at `now`. Call only when {@link RequestWindow.nextAvailableAt} allows it. */
  record(now: number): void {
    if (this.startTimes.length < this.limit) {
      this.startTimes.push(now);
      return;
    }
    this.startTimes[this.oldestIndex] = now;
    this.oldestIndex = (this.oldestIndex + 1) % this.limit;
  }
}
