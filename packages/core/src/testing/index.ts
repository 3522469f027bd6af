export {
  type ContractTestApi,
  type RunStoreContractOptions,
  type RunStoreFixture,
  runStoreContract,
} from "./run-store-contract.js";
export {
  type ScriptedModelOptions,
  type ScriptedRequest,
  type ScriptedRole,
  scriptedModel,
} from "./scripted-model.js";
export { type ScriptedModels, type ScriptedModelsOptions, scriptedModels } from "./scripted-models.js";
export {
  type ScriptedPlan,
  type ScriptedPlannerOptions,
  type ScriptedRoleOptions,
  type ScriptedWorkerScript,
  scriptedAggregator,
  scriptedPlanner,
  scriptedWorker,
} from "./scripted-roles.js";
export { type TestRoleContext, type TestRoleContextOptions, testRoleContext } from "./test-role-context.js";
