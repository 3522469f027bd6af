/**
 * Retry policy for worker calls. Delays grow exponentially with full jitter, are capped at
 * {@link RetryOptions.maxDelayMs}, and a `Retry-After` from the provider wins over the computed delay.
 * Errors that cannot succeed on retry (HTTP 4xx other than 408, 409 and 429; invalid arguments) are not retried.
 */
export interface RetryOptions {
  /** Total attempts per task, including the first. `1` disables retries. @default 3 */
  attempts?: number;
  /** Delay before the second attempt, in milliseconds. @default 500 */
  initialDelayMs?: number;
  /** Upper bound on any one delay, in milliseconds. @default 10000 */
  maxDelayMs?: number;
  /** Factor the delay grows by per attempt. @default 2 */
  factor?: number;
  /** Randomize each delay between 0 and the computed value ("full jitter"). @default true */
  jitter?: boolean;
}
