import { expect } from "vitest";
import { recoveryTaskIds } from "./recovery-workload.js";
import type { RecoveryScenarioResult } from "./run-recovery-scenario.js";

/**
 * The guarantees of crash recovery, checked on a {@link RecoveryScenarioResult}: the run completes with every
 * task; each task completed (stored) before the kill ran exactly once; each task in flight at the kill (started
 * per the counter file, not stored as completed) ran at most twice; every other task exactly once; the plan was
 * generated once.
 */
export function expectRecovered(result: RecoveryScenarioResult): void {
  const { atKill, countsAtKill, finalCounts, stored, recovered, events } = result;
  expect(atKill.status).toBe("running");
  const completedBeforeKill = atKill.tasks
    .filter((task) => task.status === "completed")
    .map((task) => task.id);
  const inFlightAtKill = recoveryTaskIds.filter(
    (id) => !completedBeforeKill.includes(id) && (countsAtKill.starts.get(id) ?? 0) > 0,
  );
  // The kill must land mid-run, with work done, work in flight and work left, or the test proves little.
  expect(completedBeforeKill.length).toBeGreaterThan(0);
  expect(completedBeforeKill.length).toBeLessThan(recoveryTaskIds.length);
  expect(inFlightAtKill.length).toBeGreaterThan(0);

  for (const view of [stored, recovered]) {
    expect(view.status).toBe("completed");
    expect(view.tasks.map((task) => task.id)).toEqual(recoveryTaskIds);
    expect(view.tasks.map((task) => task.status)).toEqual(recoveryTaskIds.map(() => "completed"));
  }
  expect(recovered.output).toBe(stored.output);
  expect(String(stored.output)).toContain("done: b3");

  const starts = (id: string) => finalCounts.starts.get(id) ?? 0;
  for (const id of completedBeforeKill)
    expect(starts(id), `executions of ${id} (completed before the kill)`).toBe(1);
  for (const id of inFlightAtKill) {
    expect(starts(id), `executions of ${id} (in flight at the kill)`).toBeGreaterThanOrEqual(1);
    expect(starts(id), `executions of ${id} (in flight at the kill)`).toBeLessThanOrEqual(2);
  }
  for (const id of recoveryTaskIds.filter(
    (id) => !completedBeforeKill.includes(id) && !inFlightAtKill.includes(id),
  ))
    expect(starts(id), `executions of ${id} (not started before the kill)`).toBe(1);
  for (const id of recoveryTaskIds)
    expect(finalCounts.ends.get(id) ?? 0, `completed executions of ${id}`).toBeGreaterThanOrEqual(1);

  // A completed task keeps its stored result; the log has one plan and one task-end per task.
  for (const task of atKill.tasks.filter((candidate) => candidate.status === "completed")) {
    expect(stored.tasks.find((candidate) => candidate.id === task.id)).toMatchObject({
      attempts: task.attempts,
      startedAt: task.startedAt,
      endedAt: task.endedAt,
      output: task.output,
    });
  }
  expect(events.filter((event) => event.type === "plan-end")).toHaveLength(1);
  expect(events.filter((event) => event.type === "task-end")).toHaveLength(recoveryTaskIds.length);
  expect(events.map((event) => event.seq)).toEqual(events.map((_event, index) => index + 1));
  expect(events.at(-1)).toMatchObject({ type: "run-end", status: "completed" });
}
