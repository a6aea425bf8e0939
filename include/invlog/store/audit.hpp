// The queries of verify and stats: every event joined with the snapshot taken
// at its version and the idempotency entry of its key, in seq order; the rows
// of derived tables that point at no event; SQLite's own check of the file;
// and counts.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "invlog/store/event_store.hpp"

namespace invlog::store {

struct AuditRow {
    RawEvent event;
    // The columns of the event row that hold a value of the wrong storage
    // type, as "name (type) name (type)"; empty when every type is right.
    std::string wrong_types;
    std::optional<Snapshot> snapshot;             // the snapshot at (sku, version)
    std::optional<IdempotencyEntry> idempotency;  // the entry of the event's key
};

// Every event in seq order, streamed.
void for_each_audit_row(EventStore& store, const std::function<void(const AuditRow&)>& fn);

// An idempotency entry and the event at its (sku, version), when there is one.
struct KeyTarget {
    std::string key;
    IdempotencyEntry entry;
    std::optional<RawEvent> event;
};
void for_each_key_target(EventStore& store, const std::function<void(const KeyTarget&)>& fn);

// Snapshots whose (sku, version) names no event.
void for_each_orphan_snapshot(EventStore& store, const std::function<void(const Snapshot&)>& fn);

// Rows of the tables other than events that hold a value of the wrong
// storage type (schema.hpp, column_types()).
struct WrongTypeRow {
    std::string table;
    std::string key;      // the row's key as text
    std::string columns;  // "name (type) name (type)"
};
void for_each_wrong_type_row(EventStore& store, const std::function<void(const WrongTypeRow&)>& fn);

// The first seq appended under a format version (the formats table), when
// the file records it.
std::optional<std::int64_t> first_seq_of_format(EventStore& store, std::int64_t version);

// Derived rows that name a version past the last event of their SKU: what a
// log whose newest events were removed leaves behind. The first few of each
// table are described; the counts are complete.
struct AheadOfLog {
    std::int64_t inventory_rows = 0;
    std::int64_t snapshots = 0;
    std::int64_t idempotency_keys = 0;
    std::vector<std::string> examples;  // "inventory: A at version 7, its last event is version 6"
    std::int64_t implied_head_seq = 0;  // the sum of the read model's versions: the events it reflects

    bool any() const { return inventory_rows + snapshots + idempotency_keys > 0; }
};
AheadOfLog derived_ahead_of_log(EventStore& store);

// Deletes the idempotency entries that name a version past the last event of
// their SKU; returns how many.
std::int64_t delete_keys_ahead_of_log(EventStore& store);

// What PRAGMA quick_check finds; empty when the file's structure is sound.
std::vector<std::string> quick_check(EventStore& store);

struct Counts {
    std::int64_t events = 0;
    std::int64_t skus = 0;  // rows of the read model
    std::int64_t snapshots = 0;
    std::int64_t idempotency_keys = 0;
    std::optional<domain::Millis> first_recorded_at;
    std::optional<domain::Millis> last_recorded_at;
};
Counts counts(EventStore& store);

}  // namespace invlog::store
