export type { FetchHandlerOptions } from "@orchestrator-workers/core";
export { createExpressHandler } from "./create-express-handler.js";
