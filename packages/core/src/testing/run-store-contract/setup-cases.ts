import type { ContractContext } from "./contract-context.js";
import { uniqueId } from "./test-events.js";

/** Cases for `setup()`: idempotent, safe on every start. */
export function setupCases(context: ContractContext): void {
  const { expect } = context;
  context.test("setup can run again and again, and the store keeps working", async ({ skip }) => {
    const setup = context.store.setup?.bind(context.store);
    if (!setup) return skip("the store needs no setup");
    const id = uniqueId("run");
    await context.store.createRun({ id, createdAt: Date.now() });
    await setup();
    await Promise.all([setup(), setup()]);
    expect((await context.store.getRun(id))?.id).toBe(id);
  });
}
