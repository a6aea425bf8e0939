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
