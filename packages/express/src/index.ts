export { createExpressHandler } from "./create-express-handler.js";
export type { FetchHandlerOptions } from "@orchestrator-workers/core";
