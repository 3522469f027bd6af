/**
 * The part of a D1 binding the store uses, structurally: any `D1Database` from `@cloudflare/workers-types`
 * fits, and so does a test double.
 */
export interface D1DatabaseLike {
  prepare(query: string): D1StatementLike;
  /** Runs statements in one transaction: all of them apply, or none. */
  batch(statements: D1StatementLike[]): Promise<D1ResultLike[]>;
}

/** A prepared D1 statement. */
export interface D1StatementLike {
  bind(...values: unknown[]): D1StatementLike;
  first<TRow = Record<string, unknown>>(): Promise<TRow | null>;
  all<TRow = Record<string, unknown>>(): Promise<D1ResultLike<TRow>>;
  run(): Promise<D1ResultLike>;
}

/** What D1 answers for one statement. */
export interface D1ResultLike<TRow = unknown> {
  results: TRow[];
  meta: { changes: number };
}
