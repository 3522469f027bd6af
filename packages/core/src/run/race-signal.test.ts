import { describe, expect, it, vi } from "vitest";
import { raceSignal } from "./race-signal.js";

describe("raceSignal", () => {
  it("settles with the promise while the signal is not aborted", async () => {
    const controller = new AbortController();
    await expect(raceSignal(Promise.resolve("done"), controller.signal)).resolves.toBe("done");
    await expect(raceSignal(Promise.reject(new Error("failed")), controller.signal)).rejects.toThrow(
      "failed",
    );
  });

  it("rejects every pending racer with the reason as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const never = new Promise<never>(() => {});
    const racers = [raceSignal(never, controller.signal), raceSignal(never, controller.signal)];
    const reason = new Error("stopped");
    controller.abort(reason);
    for (const racer of racers) await expect(racer).rejects.toBe(reason);
  });

  it("rejects at once for a signal that is already aborted", async () => {
    await expect(raceSignal(new Promise(() => {}), AbortSignal.abort("gone"))).rejects.toBe("gone");
  });

  it("adds one abort listener per signal, however many calls race it, and none after they settle", async () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, "addEventListener");
    for (let index = 0; index < 100; index++) await raceSignal(Promise.resolve(index), controller.signal);
    expect(add).toHaveBeenCalledTimes(1);
    // A racer that settled is not rejected again when the signal aborts later.
    const settled = raceSignal(Promise.resolve("kept"), controller.signal);
    await settled;
    controller.abort();
    await expect(settled).resolves.toBe("kept");
  });
});
