/** The keys of one store, all under its prefix. Tenants and keys are encoded so that no two can collide. */
export interface RedisKeys {
  /** Hash: the run's record. */
  run(runId: string): string;
  /** Stream: the run's events, entry id `<seq>-0`, one field `e` holding the event's JSON. */
  events(runId: string): string;
  /** String: the lease owner, expiring with the lease (`SET NX PX`). */
  lease(runId: string): string;
  /** String: the id of the run created with this tenant and idempotency key. */
  idempotency(tenant: string | undefined, key: string): string;
  /** Sorted set: a tenant's runs (or the runs without one) by createdAt, for listing. */
  runsOf(tenant: string | undefined): string;
  /** Sorted set: runs not final yet, by createdAt, for recovery. */
  active: string;
  /** Sorted set: final runs, by updatedAt, for retention. */
  finished: string;
  /** Sorted set: lease expiry (epoch ms, the writer's clock) per leased run, for recovery. */
  leaseExpiries: string;
}

/** The {@link RedisKeys} under `prefix`. */
export function redisKeys(prefix: string): RedisKeys {
  return {
    run: (runId) => `${prefix}run:${runId}`,
    events: (runId) => `${prefix}events:${runId}`,
    lease: (runId) => `${prefix}lease:${runId}`,
    idempotency: (tenant, key) => `${prefix}idempotency:${JSON.stringify([tenant ?? null, key])}`,
    runsOf: (tenant) => (tenant === undefined ? `${prefix}runs:-` : `${prefix}runs:t:${tenant}`),
    active: `${prefix}active`,
    finished: `${prefix}finished`,
    leaseExpiries: `${prefix}lease-expiries`,
  };
}
