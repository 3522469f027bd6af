import { OrchestrateError } from "@orchestrator-workers/core";
import { describe, expect, it } from "vitest";
import { testStore } from "../../test/test-helpers.js";
import type { OrchestratorWorkflowParams } from "../workflow/orchestrator-workflow-params.js";
import type { WorkflowBindingLike, WorkflowInstanceStatusLike } from "../workflow/workflow-types.js";
import { createWorkersOrchestrator } from "./workers-orchestrator.js";

/** A Workflow binding in memory: instances are created and given a status by the test. */
function fakeWorkflow() {
  const instances = new Map<
    string,
    { params: OrchestratorWorkflowParams; status: WorkflowInstanceStatusLike }
  >();
  const binding: WorkflowBindingLike<OrchestratorWorkflowParams> & { failCreate?: boolean } = {
    async create({ id, params }) {
      if (binding.failCreate) throw new Error("workflows.api.error.internal_server");
      if (instances.has(id))
        throw new Error(`Workflow instance with id "${id}" already exists (instance.already_exists)`);
      instances.set(id, { params, status: { status: "queued" } });
      return binding.get(id);
    },
    async get(id) {
      const instance = instances.get(id);
      if (!instance) throw new Error("instance.not_found");
      return {
        id,
        status: async () => instance.status,
        terminate: async () => {
          instance.status = { status: "terminated" };
        },
      };
    },
  };
  return { binding, instances };
}

describe("createWorkersOrchestrator", () => {
  it("reserves the run, then creates its instance with the prompt and the serializable run options", async () => {
    const { binding, instances } = fakeWorkflow();
    const orchestrator = createWorkersOrchestrator({
      store: testStore,
      workflow: binding,
      ready: () => testStore.setup(),
    });
    const handle = await orchestrator.start("Do it", {
      tenant: "acme",
      concurrency: 2,
      metadata: { source: "test" },
      idempotencyKey: crypto.randomUUID(),
      fingerprint: "f1",
      onEvent: () => {},
    });
    expect(handle).toMatchObject({ created: true, fingerprint: "f1" });
    expect(instances.get(handle.id)?.params).toEqual({
      prompt: "Do it",
      options: { tenant: "acme", concurrency: 2, metadata: { source: "test" } },
    });
    expect(await orchestrator.get(handle.id, { tenant: "acme" })).toMatchObject({
      status: "queued",
      tenant: "acme",
      seq: 0,
    });
    expect(await orchestrator.get(handle.id)).toBeUndefined();
  });

  it("creates the missing instance when an idempotent replay finds a reservation without one", async () => {
    const { binding, instances } = fakeWorkflow();
    const orchestrator = createWorkersOrchestrator({ store: testStore, workflow: binding });
    await testStore.setup();
    const idempotencyKey = crypto.randomUUID();
    binding.failCreate = true;
    await expect(orchestrator.start("Heal me", { idempotencyKey, fingerprint: "f" })).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
    });
    binding.failCreate = false;
    const replay = await orchestrator.start("Heal me", { idempotencyKey, fingerprint: "f" });
    expect(replay.created).toBe(false);
    expect(instances.get(replay.id)?.params.prompt).toBe("Heal me");
    // A replay whose instance exists leaves it alone.
    await orchestrator.start("Heal me", { idempotencyKey, fingerprint: "f" });
    expect(instances.size).toBe(1);
  });

  it("refuses a run id that cannot be a Workflows instance id, and an empty prompt", async () => {
    const orchestrator = createWorkersOrchestrator({ store: testStore, workflow: fakeWorkflow().binding });
    for (const attempt of [
      orchestrator.start("x", { runId: "has.dots:and:colons" }),
      orchestrator.start("  "),
    ]) {
      const error = await attempt.catch((caught: unknown) => caught);
      expect(OrchestrateError.isInstance(error) && error.code).toBe("INVALID_ARGUMENT");
    }
  });

  it("follows a run to its end through result and events, with nothing polled before somebody waits", async () => {
    const { binding, instances } = fakeWorkflow();
    const orchestrator = createWorkersOrchestrator({
      store: testStore,
      workflow: binding,
      pollIntervalMs: 5,
      reconcileIntervalMs: 20,
    });
    await testStore.setup();
    const handle = await orchestrator.start("Follow me");
    const seen: string[] = [];
    handle.events.on("event", (event) => seen.push(event.type));
    instances.get(handle.id)!.status = { status: "errored", error: { name: "Error", message: "kaput" } };
    const view = await handle.result;
    expect(view).toMatchObject({ status: "failed", error: { code: "INTERNAL" } });
    expect(view.error?.message).toContain("kaput");
    expect(seen).toEqual(["run-end"]);
    expect(await orchestrator.resume(handle.id)).toMatchObject({ status: "failed" });
    expect(await orchestrator.recover()).toEqual([]);
  });

  it("lists runs with the status their instance says, ending dead ones in the log", async () => {
    const { binding, instances } = fakeWorkflow();
    const tenant = `list-${crypto.randomUUID()}`;
    const orchestrator = createWorkersOrchestrator({ store: testStore, workflow: binding });
    await testStore.setup();
    const alive = await orchestrator.start("alive", { tenant });
    const terminated = await orchestrator.start("terminated", { tenant });
    instances.get(terminated.id)!.status = { status: "terminated" };
    const page = await orchestrator.list({ tenant });
    expect(Object.fromEntries(page.runs.map((run) => [run.id, run.status]))).toEqual({
      [alive.id]: "queued",
      [terminated.id]: "cancelled",
    });
    expect((await testStore.getRun(terminated.id))?.status).toBe("cancelled");
    expect(
      (await orchestrator.list({ tenant, status: ["queued", "running"] })).runs.map((run) => run.id),
    ).toEqual([alive.id]);
  });
});
