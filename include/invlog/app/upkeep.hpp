// Upkeep of a file: rebuilding its derived data from the events, and the
// figures `stats` shows.
#pragma once

#include <cstdint>
#include <functional>
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
};

// Recomputes the read model and every snapshot (at the file's snapshot-every)
// from the events, in one write transaction: readers see the old derived data
// or the new, never a mix. Refuses (integrity, nothing changed) when an event
// does not decode or a SKU's versions are not contiguous.
RebuildResult rebuild(store::EventStore& store, const ProgressFn& progress);

struct Stats {
    std::string path;
    std::int64_t file_bytes = 0;
    std::int64_t schema_version = 0;
    std::int64_t snapshot_every = 0;
    store::Counts counts;
    store::Head head;
};

Stats stats(store::EventStore& store);

}  // namespace invlog::app
