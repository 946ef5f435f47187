//! The Lua scripts of the protocol. Each touches one key, or (the batch scripts) keys that the
//! store groups, on a cluster, by hash slot or (where the front keeps the cluster's map) by
//! master, the batch scripts then reaching the keys of other slots through Redis 7's
//! `allow-cross-slot-keys`; all take only KEYS and ARGV: no script text is ever built from data. redis-rs sends them
//! by SHA (`EVALSHA`) and loads them once on `NOSCRIPT`.
//!
//! Locks are soft locks in the manner of Hibernate's READ_WRITE cache. A writer that finds
//! another writer's lock turns it into a *contended* lock (envelope kind 5) that lists its
//! holders' tokens: nobody may then publish a value, because nobody knows which of them commits
//! last. Each holder's publish or undo takes its own token out (a writer not on the list
//! changes nothing); the last one deletes the key, and a holder that died lets the contended
//! lock expire. Either way the key ends empty, and the next
//! read fills it from the database.

use std::sync::LazyLock;

use redis::Script;

/// Shared by the scripts: reading a key that may hold another type (someone else's hash in our
/// namespace reads as nothing, and is overwritten or deleted, instead of failing every script),
/// what a lock looks like (kind 3, or kind 5 when contended: followed by the 16-byte tokens of
/// its holders), and how a holder leaves a contended lock.
const PRELUDE: &str = r"
local function get(key)
  local value = redis.pcall('GET', key)
  if type(value) == 'table' then
    return false
  end
  return value
end
local function is_lock(v)
  return v and string.sub(v, 1, 3) == 'WT\1' and (string.byte(v, 4) == 3 or string.byte(v, 4) == 5)
end
local function is_contended(v)
  return v and string.sub(v, 1, 4) == 'WT\1\5'
end
local function token(lock)
  return string.sub(lock, 5)
end
-- Tells the in-process tiers of every process that the key changes (see `local/`). The
-- script's last argument is the writer's 16-byte origin followed by the channel; the message is
-- the origin followed by the key, so that the writer's own subscriber can skip it. An empty
-- argument announces nothing.
local function announce(key, origin_and_channel)
  if origin_and_channel and #origin_and_channel > 16 then
    redis.call('PUBLISH', string.sub(origin_and_channel, 17), string.sub(origin_and_channel, 1, 16) .. key)
  end
end
local function contend(key, tokens, ttl)
  if ttl < 1 then ttl = 1 end
  redis.call('SET', key, 'WT\1\5' .. tokens, 'PX', ttl)
end
-- An invalidation of `current`, what the key holds: a writer's lock is made contended (it
-- cannot then publish a value older than what is retired), a contended lock stays, anything
-- else is deleted. 1 when deleted.
local function retire(key, current)
  if is_contended(current) then
    return 0
  elseif is_lock(current) then
    contend(key, token(current), redis.call('PTTL', key))
    return 0
  end
  redis.call('DEL', key)
  return 1
end
-- Takes the writer's token (16 bytes) out of a contended lock's list of holders; the last one
-- out deletes the key. A writer that is not on the list (its lock expired, or never landed)
-- changes nothing.
local function leave(key, contended, lock)
  local mine = token(lock)
  local holders = string.sub(contended, 5)
  for i = 1, #holders, 16 do
    if string.sub(holders, i, i + 15) == mine then
      local rest = string.sub(holders, 1, i - 1) .. string.sub(holders, i + 16)
      if rest == '' then
        redis.call('DEL', key)
      else
        contend(key, rest, redis.call('PTTL', key))
      end
      return
    end
  end
end
";

fn script(body: &str) -> Script {
    Script::new(&format!("{PRELUDE}{body}"))
}

/// Locks a key for a writer and returns what it replaced, so that a failed database write can
/// put it back. Another writer's lock becomes contended instead. `ARGV[1]` lock value,
/// `ARGV[2]` lock TTL (ms), `ARGV[3]` where to announce the key (origin and channel). Returns
/// `{old value or false, old PTTL, 1 if contended}`.
pub(crate) static LOCK: LazyLock<Script> = LazyLock::new(|| {
    script(
        r"
announce(KEYS[1], ARGV[3])
local old = get(KEYS[1])
local pttl = redis.call('PTTL', KEYS[1])
local ttl = tonumber(ARGV[2])
if is_contended(old) then
  contend(KEYS[1], string.sub(old, 5) .. token(ARGV[1]), math.max(pttl, ttl))
  return {old, pttl, 1}
elseif is_lock(old) then
  contend(KEYS[1], token(old) .. token(ARGV[1]), math.max(pttl, ttl))
  return {old, pttl, 1}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
return {old, pttl, 0}
",
    )
});

/// Publishes a committed write. The writer's own lock becomes the new value (or goes, when
/// `ARGV[2]` is empty). A contended lock loses this writer's token, if it holds one. Another writer's lock becomes contended, so that it cannot publish a
/// value older than ours. Anything else (an expired lock refilled by a reader) is deleted.
/// `ARGV[1]` lock value, `ARGV[2]` value, `ARGV[3]` TTL (ms), `ARGV[4]` where to
/// announce the key (origin and channel).
/// Returns 1 when the value was set, 2 when the writer's own lock was deleted, 0 otherwise.
pub(crate) static PUBLISH: LazyLock<Script> = LazyLock::new(|| {
    script(
        r"
announce(KEYS[1], ARGV[4])
local current = get(KEYS[1])
if current == ARGV[1] then
  if ARGV[2] == '' then
    redis.call('DEL', KEYS[1])
    return 2
  end
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
if is_contended(current) then
  leave(KEYS[1], current, ARGV[1])
elseif is_lock(current) then
  contend(KEYS[1], token(current), redis.call('PTTL', KEYS[1]))
else
  redis.call('DEL', KEYS[1])
end
return 0
",
    )
});

/// Undoes a lock after a database write that certainly did not commit: when the key still
/// holds the lock, put back what it replaced (or delete when nothing was there); a contended
/// lock loses this writer's token; anything else is left alone.
/// `ARGV[1]` lock value, `ARGV[2]` previous value, `ARGV[3]` its remaining TTL (ms; 0 =
/// delete).
pub(crate) static RESTORE: LazyLock<Script> = LazyLock::new(|| {
    script(
        r"
local current = get(KEYS[1])
if current == ARGV[1] then
  if ARGV[3] == '0' then
    redis.call('DEL', KEYS[1])
  else
    redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  end
  return 1
end
if is_contended(current) then
  leave(KEYS[1], current, ARGV[1])
end
return 0
",
    )
});

/// An invalidation owed since Redis was unreachable: delete the key, unless a writer holds it,
/// in which case make its lock contended so that it cannot publish a value older than ours.
/// `ARGV[1]` where to announce the key (origin and channel).
pub(crate) static INVALIDATE: LazyLock<Script> = LazyLock::new(|| script(INVALIDATE_BODY));

const INVALIDATE_BODY: &str = r"
announce(KEYS[1], ARGV[1])
return retire(KEYS[1], get(KEYS[1]))
";

/// [`INVALIDATE`]'s source, for an `EVAL` on a node that may never have loaded the scripts (a
/// master importing its first slot, reached by following `ASK`).
#[cfg_attr(
    not(all(feature = "cluster", any(feature = "postgres", feature = "binlog"))),
    allow(dead_code)
)]
pub(crate) fn invalidate_source() -> String {
    format!("{PRELUDE}{INVALIDATE_BODY}")
}

/// The change feed's invalidation of a key that a library write marked in the log
/// (`feed::mark`): left in place when it holds that write's lock (its publish is still to come)
/// or the value it publishes (compared by SHA-1), or nothing; otherwise what [`INVALIDATE`]
/// does. Announced either way, as `INVALIDATE` is: a second chance for the in-process tiers of
/// processes that missed the write's own announcements. So a key a reader refilled with an older row after the write's lock expired, the write
/// having died before its publish, is still retired. `ARGV[1]` the write's lock value, `ARGV[2]`
/// the SHA-1 (lowercase hex) of the value it publishes, empty when none, `ARGV[3]` where to
/// announce the key. Returns 2 when the key is left in place.
pub(crate) static INVALIDATE_UNLESS_WRITTEN: LazyLock<Script> = LazyLock::new(|| {
    script(
        r"
announce(KEYS[1], ARGV[3])
local current = get(KEYS[1])
if not current or current == ARGV[1] or (ARGV[2] ~= '' and redis.sha1hex(current) == ARGV[2]) then
  return 2
end
return retire(KEYS[1], current)
",
    )
});

/// Deletes the key only if it still holds exactly `ARGV[1]`: a lease with nothing to fill, or
/// unusable bytes seen by a reader (which must not delete a lock taken since).
pub(crate) static DELETE_IF: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.pcall('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
",
    )
});

/// Fills a key after a database read, only while the reader's lease is still there: a write
/// that started meanwhile replaced the lease, and the read may be older than it.
/// `ARGV[1]` lease value, `ARGV[2]` value, `ARGV[3]` TTL (ms). Returns 1 when filled.
pub(crate) static FILL: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.pcall('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
",
    )
});

/// A batch read's first step, for many keys in one call: each key's value when it has one,
/// else a fill lease on the empty key and nil. `ARGV[1]` lease value, `ARGV[2]` lease TTL
/// (ms); the keys are `KEYS`, then `ARGV[3]` on. Keys passed in `ARGV` are those of other
/// slots on the node of `KEYS[1]` (a Redis Cluster refuses declared keys of several slots, and
/// `allow-cross-slot-keys` lets a script reach the others; each access is still checked: a key
/// the node does not serve, or no longer holds because its slot is migrating, answers `WT!`,
/// never leased, for the caller to ask the slot's owner).
pub(crate) static GET_OR_LEASE_MANY: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"#!lua flags=allow-cross-slot-keys
local keys = {}
for i, key in ipairs(KEYS) do keys[i] = key end
for i = 3, #ARGV do keys[#keys + 1] = ARGV[i] end
local values = {}
for i, key in ipairs(keys) do
  local value = redis.pcall('GET', key)
  if type(value) == 'table' and value.err and string.find(value.err, 'non local key', 1, true) then
    -- A key of a slot this node does not serve (any more): the caller asks its owner.
    values[i] = 'WT!'
  elseif type(value) == 'table' then
    -- Another type under our key: unusable bytes, never leased.
    values[i] = 'WT?'
  elseif value then
    values[i] = value
  else
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
    values[i] = false
  end
end
return values
",
    )
});

/// A batch read's last step: fill the first `ARGV[2]` keys where the lease `ARGV[1]` is still
/// there, release the lease on the next `ARGV[3]` keys, and delete each remaining key if it
/// still holds the bytes given for it. The keys are `KEYS`, then the `ARGV[4]` keys that follow
/// it (other slots of the node: see [`GET_OR_LEASE_MANY`]); after them come the value and TTL
/// pairs of the fills, then the bytes of the remaining keys. Returns, per filled key, 1 when
/// filled.
pub(crate) static SETTLE_MANY: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"#!lua flags=allow-cross-slot-keys
local lease = ARGV[1]
local fills = tonumber(ARGV[2])
local releases = tonumber(ARGV[3])
local extra = tonumber(ARGV[4])
local keys = {}
for i, key in ipairs(KEYS) do keys[i] = key end
for i = 1, extra do keys[#keys + 1] = ARGV[4 + i] end
local pairs_at = 4 + extra
local filled = {}
for i = 1, fills do
  if redis.pcall('GET', keys[i]) == lease then
    redis.call('SET', keys[i], ARGV[pairs_at + 2 * i - 1], 'PX', ARGV[pairs_at + 2 * i])
    filled[i] = 1
  else
    filled[i] = 0
  end
end
for i = fills + 1, fills + releases do
  if redis.pcall('GET', keys[i]) == lease then
    redis.call('DEL', keys[i])
  end
end
local expected_at = pairs_at + 2 * fills
for i = fills + releases + 1, #keys do
  if redis.pcall('GET', keys[i]) == ARGV[expected_at + i - fills - releases] then
    redis.call('DEL', keys[i])
  end
end
return filled
",
    )
});

/// A unique index's read (`find_by_<field>`, standalone Redis only): for each entry key, its
/// value and, when it is a pointer (kind 6, followed by the row's key), the value of the row it
/// names: one round trip for entry and row. The row's key is read from the entry rather than
/// declared, which a cluster forbids (there the two are read one after the other). Returns the
/// pairs flattened, `false` for nothing (or another type under the key).
pub(crate) static READ_ENTRIES: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local function get(key)
  local value = redis.pcall('GET', key)
  if type(value) == 'table' then
    return false
  end
  return value
end
local out = {}
for i, key in ipairs(KEYS) do
  local entry = get(key)
  out[2 * i - 1] = entry
  out[2 * i] = false
  if entry and #entry > 4 and string.sub(entry, 1, 4) == 'WT' then
    out[2 * i] = get(string.sub(entry, 5))
  end
end
return out
",
    )
});

/// A cached collection's read (`find_all_by_<parent>`, standalone Redis only): for each entry
/// key, its value and, when it is a members list (kind 7: per member, the row key and its order
/// value, each after a 4-byte big-endian length), the values of every member's row, in order:
/// one round trip, and one instant, for the entry and its rows. The rows' keys are read from the
/// entry rather than declared, which a cluster forbids (there the two are read one after the
/// other). Returns, per entry, the entry (`false` for nothing), then its rows packed into one
/// string (per row: `1`, its length in 4 bytes big-endian and its bytes; or `0` for nothing):
/// one reply element per collection, whatever its size, since the client's parsing of each
/// element costs more than the script's packing.
pub(crate) static READ_COLLECTIONS: LazyLock<Script> = LazyLock::new(|| {
    script(
        r"
local function length(value, at)
  local a, b, c, d = string.byte(value, at, at + 3)
  if not d then
    return nil
  end
  return ((a * 256 + b) * 256 + c) * 256 + d
end
local function be32(n)
  return string.char(math.floor(n / 16777216) % 256, math.floor(n / 65536) % 256,
    math.floor(n / 256) % 256, n % 256)
end
local out = {}
for _, key in ipairs(KEYS) do
  local entry = get(key)
  out[#out + 1] = entry
  local packed = {}
  if entry and string.sub(entry, 1, 4) == 'WT\1\7' then
    local keys = {}
    local at = 5
    while at <= #entry do
      local key_length = length(entry, at)
      if not key_length then break end
      keys[#keys + 1] = string.sub(entry, at + 4, at + 3 + key_length)
      at = at + 4 + key_length
      local order_length = length(entry, at)
      if not order_length then break end
      at = at + 4 + order_length
    end
    -- MGET answers nothing for a key of another type; 500 keys per call (unpack's limit).
    for first = 1, #keys, 500 do
      local rows = redis.call('MGET', unpack(keys, first, math.min(first + 499, #keys)))
      for _, row in ipairs(rows) do
        if row then
          packed[#packed + 1] = '\1' .. be32(#row) .. row
        else
          packed[#packed + 1] = '\0'
        end
      end
    end
  end
  out[#out + 1] = table.concat(packed)
end
return out
",
    )
});

/// A reader's lease on a unique index's entry or on a row's key: taken only when the key holds
/// exactly `ARGV[3]` (a stale pointer seen by the reader), or nothing when `ARGV[3]` is empty.
/// A writer's lock taken since wins. `ARGV[1]` lease value, `ARGV[2]` lease TTL (ms). Returns
/// 1 when leased.
pub(crate) static LEASE_IF: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local current = redis.pcall('GET', KEYS[1])
if type(current) == 'table' then
  return 0
end
if (ARGV[3] == '' and not current) or (ARGV[3] ~= '' and current == ARGV[3]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
",
    )
});

/// Every script, for loading them after a `NOSCRIPT` reply to a pipeline.
pub(crate) fn all() -> [&'static Script; 12] {
    [
        &LOCK,
        &PUBLISH,
        &RESTORE,
        &INVALIDATE,
        &INVALIDATE_UNLESS_WRITTEN,
        &DELETE_IF,
        &FILL,
        &GET_OR_LEASE_MANY,
        &SETTLE_MANY,
        &READ_ENTRIES,
        &READ_COLLECTIONS,
        &LEASE_IF,
    ]
}
