// Where each export destination stands: the last seq it has acknowledged,
// kept in the export_positions table, and the log queries the exporter needs
// to plan its batches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "invlog/domain/record.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::store {

struct ExportPosition {
    std::string destination;
    std::int64_t last_seq = 0;
    domain::Millis updated_at = 0;
};

// The stored position of a destination; nullopt when it was never exported to.
std::optional<ExportPosition> read_export_position(EventStore& store, std::string_view destination);

// Records that a destination has acknowledged every event up to last_seq, in
// its own write transaction. A position never moves back: a re-run, a
// --from-start or a second exporter that acknowledges an earlier seq leaves
// a later one in place.
void write_export_position(EventStore& store, std::string_view destination, std::int64_t last_seq,
                           domain::Millis now);

// Deletes the position of a destination: one that no longer describes this
// log (export --from-start after the log was replaced).
void forget_export_position(EventStore& store, std::string_view destination);

// The number of events a filter selects (limit ignored).
std::int64_t count_events(EventStore& store, const EventFilter& filter);

}  // namespace invlog::store
