// Upkeep of a file: rebuilding its derived data from the events, and the
// figures `stats` shows.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "invlog/store/audit.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::app {

using ProgressFn = std::function<void(std::int64_t done, std::int64_t total)>;

struct RebuildResult {
    std::int64_t events = 0;
    std::int64_t skus = 0;
    std::int64_t snapshots = 0;
    std::int64_t snapshot_every = 0;
    std::int64_t head_seq = 0;
    // With force, when the derived data was ahead of the log: the idempotency
    // keys dropped (their commands are no longer in the log), and the head
    // the old read model implied.
    std::int64_t dropped_keys = 0;
    std::optional<std::int64_t> implied_head_seq;
};

// Recomputes the read model and every snapshot (at the file's snapshot-every)
// from the events, in one write transaction: readers see the old derived data
// or the new, never a mix. Refuses (integrity, nothing changed) when an event
// does not decode or a SKU's versions are not contiguous, and when the
// derived data is ahead of the log (a read-model row, snapshot or
// idempotency key past the last event of its SKU, or of a SKU without
// events): the newest events were removed, and rebuilding would make the
// shorter log verify. The message gives the head the read model implies and
// the log's head. With force it proceeds, and drops the idempotency keys of
// the commands the log no longer holds (a retry applies them again).
RebuildResult rebuild(store::EventStore& store, const ProgressFn& progress, bool force = false);

struct Stats {
    std::string path;
    // The file's size; nullopt for a store that is not a file (MongoDB).
    std::optional<std::int64_t> file_bytes;
    std::int64_t schema_version = 0;
    std::int64_t snapshot_every = 0;
    store::Counts counts;
    store::Head head;
};

Stats stats(store::EventStore& store);

}  // namespace invlog::app
