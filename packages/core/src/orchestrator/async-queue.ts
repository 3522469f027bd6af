/**
 * A single-consumer async queue: producers `push`, the consumer iterates. O(1) per item. `end` finishes the
 * iteration after the items already queued; `fail` rejects the consumer's next read.
 */
export class AsyncQueue<TItem> implements AsyncIterable<TItem> {
  private items: TItem[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<TItem>) => void) | undefined;
  private rejectWaiting: ((error: unknown) => void) | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private readonly onReturn: () => void;

  /** @param onReturn called once when the consumer stops early or the queue ends. */
  constructor(onReturn: () => void = () => {}) {
    this.onReturn = onReturn;
  }

  push(item: TItem): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.rejectWaiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onReturn();
    if (this.waiting && this.head === this.items.length) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = { error };
    if (this.rejectWaiting) {
      const reject = this.rejectWaiting;
      this.waiting = undefined;
      this.rejectWaiting = undefined;
      reject(error);
    }
    this.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<TItem> {
    return {
      next: () => {
        if (this.head < this.items.length) {
          const value = this.items[this.head++]!;
          if (this.head === this.items.length) {
            this.items = [];
            this.head = 0;
          }
          return Promise.resolve({ value, done: false });
        }
        if (this.failure) return Promise.reject(this.failure.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.rejectWaiting = reject;
        });
      },
      return: () => {
        this.end();
        this.items = [];
        this.head = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
