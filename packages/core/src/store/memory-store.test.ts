import * as vitest from "vitest";
import { runStoreContract } from "../testing/run-store-contract.js";
import { memoryStore } from "./memory-store.js";

runStoreContract("memory", () => ({ store: memoryStore() }), { vitest });
