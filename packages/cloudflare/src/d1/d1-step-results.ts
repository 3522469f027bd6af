import type { StepResultStore } from "../workflow/step-result-store.js";
import type { D1DatabaseLike } from "./d1-database.js";
import type { D1Tables } from "./d1-tables.js";
import { toStoreError } from "./to-store-error.js";

/** A {@link StepResultStore} on the store's `step_results` table. Values are stored as JSON. */
export function d1StepResults(db: D1DatabaseLike, tables: D1Tables): StepResultStore {
  return {
    async save(runId, key, value) {
      await db
        .prepare(
          `INSERT OR REPLACE INTO ${tables.stepResults} (run_id, key, body, created_at) VALUES (?1, ?2, ?3, ?4)`,
        )
        .bind(runId, key, JSON.stringify({ value: value ?? null }), Date.now())
        .run()
        .catch((error: unknown) => Promise.reject(toStoreError(error, runId)));
    },
    async load(runId, key) {
      const row = await db
        .prepare(`SELECT body FROM ${tables.stepResults} WHERE run_id = ?1 AND key = ?2`)
        .bind(runId, key)
        .first<{ body: string }>()
        .catch((error: unknown) => Promise.reject(toStoreError(error, runId)));
      return row ? (JSON.parse(row.body) as { value: unknown }) : undefined;
    },
    async deleteRun(runId) {
      await db
        .prepare(`DELETE FROM ${tables.stepResults} WHERE run_id = ?1`)
        .bind(runId)
        .run()
        .catch((error: unknown) => Promise.reject(toStoreError(error, runId)));
    },
  };
}
