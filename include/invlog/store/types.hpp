// The values that cross the store interface (event_store.hpp): how a store
// is opened, which events a query selects, points in the past, snapshots,
// idempotency entries and the head of the log. No backend type appears here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "invlog/domain/record.hpp"
#include "invlog/domain/state.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::store {

enum class OpenMode {
    read,   // the file must exist; nothing is written
    write,  // the file is created when missing and upgraded when older
};

struct Migration;

struct OpenOptions {
    std::string path;
    OpenMode mode = OpenMode::read;
    int lock_timeout_ms = 5000;
    bool create_parent = false;  // make the parent directory (the default location)
    // The upgrade steps to schema_version: migrations() unless a test gives
    // synthetic ones.
    const std::vector<Migration>* migrations = nullptr;
    // A read beside a writer of this process that keeps the file open (the
    // readers of `invlog serve`): never SQLite's immutable mode, which would
    // go on showing the file as it was when opened while that writer appends
    // to the -wal (read_access.hpp).
    bool beside_writer = false;
};

enum class Order {
    seq,          // the global order
    sku_version,  // SKU by SKU, each in version order
};

// Which events a query returns. Every bound is optional and inclusive except
// after_seq and after_version, which are exclusive.
struct EventFilter {
    std::optional<std::string> sku;
    std::int64_t after_seq = 0;
    std::int64_t after_version = 0;
    std::optional<std::int64_t> max_seq;
    std::optional<std::int64_t> max_version;
    std::optional<domain::Millis> since;
    std::optional<domain::Millis> until;
    std::optional<std::int64_t> limit;
    Order order = Order::seq;  // a single SKU's events are always in version order
};

// Which rows of the read model a listing returns, always in SKU order. Every
// bound is optional: `after` is exclusive (a keyset: the next page starts
// after the last SKU of the previous one), `prefix` keeps the SKUs that start
// with it, `below` those whose available quantity is below it, and `limit`
// stops after that many rows. A page costs an index seek and `limit` rows,
// however many SKUs come before it.
struct StateRange {
    std::optional<std::string> after;
    std::optional<std::string> prefix;
    std::optional<std::int64_t> below;
    std::optional<std::int64_t> limit;
};

// A point in the log's past. Every bound is optional and inclusive; with
// none, the point is now. recorded_at never decreases along seq, so each
// bound names a prefix of the log.
struct Point {
    std::optional<std::int64_t> max_version;
    std::optional<std::int64_t> max_seq;
    std::optional<domain::Millis> until;
};

// A SKU's state saved right after one of its versions (state.version), with
// the seq and recorded_at of that version's event, and its hash: the hash of
// that event sealed with the snapshot's contents (snapshot_hash, codec.hpp).
// Derived data: see schema.hpp.
struct Snapshot {
    std::string sku;
    domain::State state;
    std::int64_t seq = 0;
    domain::Millis recorded_at = 0;
    util::Digest hash{};
};

struct IdempotencyEntry {
    std::string fingerprint;
    std::string sku;
    std::int64_t version = 0;
    std::string command_id;
};

struct Head {
    std::int64_t seq = 0;  // 0 when the log is empty
    util::Digest hash{};   // zeros when the log is empty
    domain::Millis recorded_at = 0;
    std::string event_id;  // empty when the log is empty
};

}  // namespace invlog::store
