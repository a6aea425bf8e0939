// What the reads of verify and stats return (EventStore's audit reads): every
// event with the snapshot taken at its version and the idempotency entry of
// its key, in seq order; keys and the events they name; values of the wrong
// type; derived rows ahead of the log; and counts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "invlog/store/codec.hpp"
#include "invlog/store/types.hpp"

namespace invlog::store {

struct AuditRow {
    RawEvent event;
    // The columns of the event row that hold a value of the wrong storage
    // type, as "name (type) name (type)"; empty when every type is right.
    std::string wrong_types;
    std::optional<Snapshot> snapshot;             // the snapshot at (sku, version)
    std::optional<IdempotencyEntry> idempotency;  // the entry of the event's key
};

// An idempotency entry and the event at its (sku, version), when there is one.
struct KeyTarget {
    std::string key;
    IdempotencyEntry entry;
    std::optional<RawEvent> event;
};

// A stored row outside the events that holds a value of the wrong type.
struct WrongTypeRow {
    std::string table;
    std::string key;      // the row's key as text
    std::string columns;  // "name (type) name (type)"
};

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

struct Counts {
    std::int64_t events = 0;
    std::int64_t skus = 0;  // rows of the read model
    std::int64_t snapshots = 0;
    std::int64_t idempotency_keys = 0;
    std::optional<domain::Millis> first_recorded_at;
    std::optional<domain::Millis> last_recorded_at;
};

}  // namespace invlog::store
