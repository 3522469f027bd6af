import pg from "pg";
import { afterAll } from "vitest";
import { requiredOrSkipped } from "../../../test-support/servers/required-or-skipped.js";

/** The Postgres server the tests share (`DATABASE_URL`, default the local one), an admin pool, and cleanup. */
export interface SharedPostgres {
  url: string;
  admin: pg.Pool;
  /** True when the server is unreachable outside CI (the caller's tests skip); in CI that throws instead. */
  skipped: boolean;
  /** A fresh schema name, so that test files and tests running side by side never share tables. */
  freshSchema(): string;
  dropSchema(schema: string): Promise<void>;
}

/** Probes the shared Postgres for `tests` (see {@link requiredOrSkipped}); closes the pool after the file. */
export async function sharedPostgres(tests: string): Promise<SharedPostgres> {
  const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const admin = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 2_000, max: 2 });
  admin.on("error", () => undefined);
  afterAll(() => admin.end());
  const unreachable = await admin.query("SELECT 1").then(
    () => undefined,
    (error: unknown) => `Postgres at ${url} is unreachable (${String(error)}; start it, or set DATABASE_URL)`,
  );
  return {
    url,
    admin,
    skipped: requiredOrSkipped(unreachable, tests),
    freshSchema: () => `test_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
    async dropSchema(schema) {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
}
