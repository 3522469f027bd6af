import { rateWindowMs } from "./request-window.js";

interface TokenEntry {
  at: number;
  tokens: number;
}

/**
 * A sliding one-minute sum of reported tokens. New work may start while the sum is under `limit`. Entries are
 * kept in arrival order and dropped from the front once a minute old: amortized O(1) per report.
 */
export class TokenWindow {
  private entries: TokenEntry[] = [];
  private firstIndex = 0;
  private total = 0;

  constructor(private readonly limit: number) {}

  /** Adds `tokens` spent at `now` to the window. */
  record(now: number, tokens: number): void {
    if (tokens > 0) {
      this.entries.push({ at: now, tokens });
      this.total += tokens;
    }
  }

  /**
   * The earliest time, at or after `now`, at which new work may start: `now` while under the limit, else when
   * the oldest entry leaves the window (the caller checks again then).
   */
  nextAvailableAt(now: number): number {
    this.expire(now);
    if (this.total < this.limit) return now;
    return this.entries[this.firstIndex]!.at + rateWindowMs;
  }

  private expire(now: number): void {
    while (this.firstIndex < this.entries.length) {
      const entry = this.entries[this.firstIndex]!;
      if (entry.at + rateWindowMs > now) break;
      this.total -= entry.tokens;
      this.firstIndex++;
    }
    // Compact once the dropped prefix dominates, so memory follows the window and shifting stays amortized O(1).
    if (this.firstIndex > 64 && this.firstIndex * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.firstIndex);
      this.firstIndex = 0;
    }
  }
}
