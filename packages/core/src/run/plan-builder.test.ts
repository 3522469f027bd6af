import { describe, expect, it } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { PlannedTask } from "../roles/planner.js";
import { PlanBuilder } from "./plan-builder.js";

function build(tasks: unknown[], options: { maxSubtasks?: number; types?: string[] } = {}) {
  const builder = new PlanBuilder({
    maxSubtasks: options.maxSubtasks ?? 10,
    hasWorker: (type) => (options.types ?? ["default"]).includes(type),
  });
  for (const task of tasks) builder.add(task as PlannedTask);
  return builder.finish("analysis");
}

function planError(run: () => unknown): OrchestrateError {
  try {
    run();
  } catch (error) {
    if (OrchestrateError.isInstance(error) && error.code === "PLAN_INVALID") return error;
    throw error;
  }
  throw new Error("expected PLAN_INVALID");
}

describe("PlanBuilder", () => {
  it("normalizes tasks: defaults type, title and dependsOn; strings become t<n>", () => {
    const plan = build([
      "Research the topic",
      { id: "b", details: "Write it up\nwith care", dependsOn: ["t1"] },
    ]);
    expect(plan).toEqual({
      analysis: "analysis",
      tasks: [
        {
          id: "t1",
          type: "default",
          title: "Research the topic",
          details: "Research the topic",
          dependsOn: [],
        },
        {
          id: "b",
          type: "default",
          title: "Write it up",
          details: "Write it up\nwith care",
          dependsOn: ["t1"],
        },
      ],
    });
  });

  it("accepts a dependency on a task defined later, and de-duplicates dependsOn", () => {
    const plan = build([
      { id: "a", details: "A", dependsOn: ["b", "b"] },
      { id: "b", details: "B" },
    ]);
    expect(plan.tasks[0]!.dependsOn).toEqual(["b"]);
  });

  it.each([
    ["an empty plan", [], "the plan has no subtasks"],
    [
      "duplicate ids",
      [
        { id: "a", details: "x" },
        { id: "a", details: "y" },
      ],
      'two subtasks have the id "a"',
    ],
    [
      "an unknown dependency",
      [{ id: "a", details: "x", dependsOn: ["zzz"] }],
      'subtask "a" depends on "zzz", which is not in the plan',
    ],
    ["a self-dependency", [{ id: "a", details: "x", dependsOn: ["a"] }], 'subtask "a" depends on itself'],
    [
      "a cycle",
      [
        { id: "a", details: "x", dependsOn: ["c"] },
        { id: "b", details: "y", dependsOn: ["a"] },
        { id: "c", details: "z", dependsOn: ["b"] },
      ],
      'the dependencies form a cycle: "a" -> "c" -> "b" -> "a"',
    ],
    ["too many subtasks", ["1", "2", "3", "4"], "more than 3 subtasks"],
    [
      "a task type without a worker",
      [{ id: "a", type: "video", details: "x" }],
      'type "video", for which there is no worker',
    ],
    ["a missing id", [{ details: "x" }], "subtask 1 has id undefined"],
    ["an id with spaces", [{ id: "a b", details: "x" }], 'subtask 1 has id string "a b"'],
    ["empty details", [{ id: "a", details: " " }], 'subtask "a" needs "details"'],
    [
      "a non-array dependsOn",
      [{ id: "a", details: "x", dependsOn: "b" }],
      "expected an array of subtask ids",
    ],
    ["a non-object task", [42], "must be an object or a string, received number 42"],
    ["an empty string task", [""], "subtask 1 is an empty string"],
  ])("rejects %s with a precise PLAN_INVALID", (_name, tasks, message) => {
    const error = planError(() => build(tasks as unknown[], { maxSubtasks: 3 }));
    expect(error.message).toContain(message);
  });

  it("accepts numeric ids from loose planners", () => {
    const plan = build([
      { id: 1 as unknown as string, details: "x" },
      { id: "2", details: "y", dependsOn: [1 as unknown as string] },
    ]);
    expect(plan.tasks.map((task) => task.id)).toEqual(["1", "2"]);
    expect(plan.tasks[1]!.dependsOn).toEqual(["1"]);
  });
});
