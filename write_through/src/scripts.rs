//! The Lua scripts of the protocol. Each touches one key (so each is single-slot on a cluster)
//! and takes only KEYS and ARGV: no script text is ever built from data. redis-rs sends them
//! by SHA (`EVALSHA`) and loads them once on `NOSCRIPT`.

use std::sync::LazyLock;

use redis::Script;

/// Locks a key for a writer and returns what it replaced, so that a failed database write can
/// put it back. `ARGV[1]` lock value, `ARGV[2]` lock TTL (ms). Returns `{old value or false,
/// old PTTL}`.
pub(crate) static LOCK: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local old = redis.call('GET', KEYS[1])
local pttl = redis.call('PTTL', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {old, pttl}
",
    )
});

/// Publishes a committed write: when the key still holds the writer's lock, `SET` the new value
/// (or delete when `ARGV[2]` is empty); otherwise another writer or reader intervened, and only
/// a delete is safe. `ARGV[1]` lock value, `ARGV[2]` value, `ARGV[3]` TTL (ms). Returns 1 when
/// the value was set.
pub(crate) static PUBLISH: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) == ARGV[1] and ARGV[2] ~= '' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
redis.call('DEL', KEYS[1])
return 0
",
    )
});

/// Undoes a lock after a failed database write: when the key still holds the lock, put back
/// what it replaced (or delete when nothing was there); otherwise leave the key alone.
/// `ARGV[1]` lock value, `ARGV[2]` previous value, `ARGV[3]` its remaining TTL (ms; 0 = delete).
pub(crate) static RESTORE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[3] == '0' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
",
    )
});

/// Fills a key after a database read, only while the reader's lease is still there: a write
/// that started meanwhile replaced the lease, and the read may be older than it.
/// `ARGV[1]` lease value, `ARGV[2]` value, `ARGV[3]` TTL (ms). Returns 1 when filled.
pub(crate) static FILL: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
",
    )
});

/// A batch read's step for one key: the value when there is one, else take a fill lease on the
/// empty key and return nil. `ARGV[1]` lease value, `ARGV[2]` lease TTL (ms).
pub(crate) static GET_OR_LEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local value = redis.call('GET', KEYS[1])
if value then
  return value
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
",
    )
});

/// Every script, for loading them after a `NOSCRIPT` reply to a pipeline.
pub(crate) fn all() -> [&'static Script; 5] {
    [&LOCK, &PUBLISH, &RESTORE, &FILL, &GET_OR_LEASE]
}
