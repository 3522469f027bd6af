import { redisScript } from "./redis-script.js";

/**
 * Creates a run unless its idempotency key or its id exists.
 * KEYS: run, idempotency (or run again when there is no key), runs of the tenant, active, lease, lease expiries.
 * ARGV: id, createdAt, has key ("1"/"0"), lease owner ("" for none), lease ttl ms, lease expiry, then HSET pairs.
 * Answers `{1, id}` when created, `{0, existing id}` otherwise.
 */
export const createRunScript = redisScript(`
if ARGV[3] == "1" then
  local existing = redis.call("GET", KEYS[2])
  if existing then return {0, existing} end
end
if redis.call("EXISTS", KEYS[1]) == 1 then return {0, ARGV[1]} end
local fields = {}
for index = 7, #ARGV do fields[#fields + 1] = ARGV[index] end
redis.call("HSET", KEYS[1], unpack(fields))
redis.call("ZADD", KEYS[3], ARGV[2], ARGV[1])
redis.call("ZADD", KEYS[4], ARGV[2], ARGV[1])
if ARGV[3] == "1" then redis.call("SET", KEYS[2], ARGV[1]) end
if ARGV[4] ~= "" then
  redis.call("SET", KEYS[5], ARGV[4], "PX", ARGV[5])
  redis.call("ZADD", KEYS[6], ARGV[6], ARGV[1])
end
return {1, ARGV[1]}
`);

/**
 * Appends events if the run's last seq is the expected one: the optimistic concurrency check and the writes in
 * one atomic step. Stream entry ids are `<seq>-0`, so the stream itself refuses an id that is not increasing.
 * KEYS: run, events, active, finished.
 * ARGV: id, expected seq, status, updatedAt, final ("1"/"0"), then one event JSON per entry.
 * Answers `{"ok"}`, `{"missing"}` or `{"conflict", last seq}`.
 */
export const appendScript = redisScript(`
local last = redis.call("HGET", KEYS[1], "lastSeq")
if not last then return {"missing"} end
if last ~= ARGV[2] then return {"conflict", last} end
local seq = tonumber(ARGV[2])
for index = 6, #ARGV do
  seq = seq + 1
  redis.call("XADD", KEYS[2], string.format("%d-0", seq), "e", ARGV[index])
end
redis.call("HSET", KEYS[1], "lastSeq", string.format("%d", seq), "status", ARGV[3], "updatedAt", ARGV[4])
if ARGV[5] == "1" then
  redis.call("ZREM", KEYS[3], ARGV[1])
  redis.call("ZADD", KEYS[4], ARGV[4], ARGV[1])
elseif redis.call("ZREM", KEYS[4], ARGV[1]) == 1 then
  redis.call("ZADD", KEYS[3], redis.call("HGET", KEYS[1], "createdAt"), ARGV[1])
end
return {"ok"}
`);

/**
 * Takes the lease if it is free (or expired: the key is gone) or already the owner's.
 * KEYS: run, lease, lease expiries. ARGV: id, owner, ttl ms, expiry.
 * Answers 1 when taken, 0 when another owner holds it, -1 when the run does not exist.
 */
export const acquireLeaseScript = redisScript(`
if redis.call("EXISTS", KEYS[1]) == 0 then return -1 end
if not redis.call("SET", KEYS[2], ARGV[2], "NX", "PX", ARGV[3]) then
  if redis.call("GET", KEYS[2]) ~= ARGV[2] then return 0 end
  redis.call("SET", KEYS[2], ARGV[2], "PX", ARGV[3])
end
redis.call("ZADD", KEYS[3], ARGV[4], ARGV[1])
return 1
`);

/**
 * Extends the lease if `owner` still holds it (compare and extend).
 * KEYS: lease, lease expiries. ARGV: id, owner, ttl ms, expiry. Answers 1 or 0.
 */
export const renewLeaseScript = redisScript(`
if redis.call("GET", KEYS[1]) ~= ARGV[2] then return 0 end
redis.call("PEXPIRE", KEYS[1], ARGV[3])
redis.call("ZADD", KEYS[2], ARGV[4], ARGV[1])
return 1
`);

/**
 * Deletes the lease if `owner` holds it (compare and delete).
 * KEYS: lease, lease expiries. ARGV: id, owner. Answers 1 or 0.
 */
export const releaseLeaseScript = redisScript(`
if redis.call("GET", KEYS[1]) ~= ARGV[2] then return 0 end
redis.call("DEL", KEYS[1])
redis.call("ZREM", KEYS[2], ARGV[1])
return 1
`);

/**
 * Walks the runs not final yet, oldest first, and answers those whose lease expired at or before `now` (or
 * that have none), at most `limit`. Cost grows with the number of live leases passed over, not with all runs.
 * KEYS: active, lease expiries. ARGV: now, limit.
 */
export const findExpiredLeasesScript = redisScript(`
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local found = {}
local start = 0
while #found < limit do
  local ids = redis.call("ZRANGE", KEYS[1], start, start + 255)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    local expiry = redis.call("ZSCORE", KEYS[2], id)
    if not expiry or tonumber(expiry) <= now then
      found[#found + 1] = id
      if #found >= limit then break end
    end
  end
  start = start + 256
end
return found
`);
