import { describe, expect, it } from "vitest";
import { lazyPromise } from "./lazy-promise.js";

describe("lazyPromise", () => {
  it("starts the work only when somebody waits for the value, and only once", async () => {
    let starts = 0;
    const promise = lazyPromise(async () => {
      starts++;
      return 42;
    });
    promise.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(starts).toBe(0);
    expect(await promise).toBe(42);
    expect(await promise.then((value) => value + 1)).toBe(43);
    expect(starts).toBe(1);
  });

  it("runs an error handler attached before the start once the started work fails", async () => {
    const promise = lazyPromise<number>(async () => {
      throw new Error("boom");
    });
    const caught = promise.catch((error: Error) => error.message);
    await expect(promise).rejects.toThrow("boom");
    expect(await caught).toBe("boom");
  });

  it("starts on finally", async () => {
    let started = false;
    await lazyPromise(async () => {
      started = true;
    }).finally(() => {});
    expect(started).toBe(true);
  });
});
