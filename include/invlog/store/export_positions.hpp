// Where each export destination stands: the last seq it has acknowledged,
// kept in the export_positions table, and the log queries the exporter needs
// to plan its batches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/domain/record.hpp"
#include "invlog/store/event_store.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::store {

struct ExportPosition {
    std::string destination;
    std::int64_t last_seq = 0;
    domain::Millis updated_at = 0;
    // The hash of the event at last_seq when it was exported, so that a rerun
    // can tell that the log under the position was not rewritten; nullopt for
    // positions recorded before format 2 (or without it).
    std::optional<util::Digest> last_hash;
    // The export mode ("seed", ...); nullopt: the native one.
    std::optional<std::string> compat;
};

// The stored position of a destination; nullopt when it was never exported to.
std::optional<ExportPosition> read_export_position(EventStore& store, std::string_view destination);

// Every stored position, by destination.
std::vector<ExportPosition> list_export_positions(EventStore& store);

// Records that a destination has acknowledged every event up to last_seq
// (whose hash is last_hash, when given), in its own write transaction. A
// position never moves back: a re-run, a --from-start or a second exporter
// that acknowledges an earlier seq leaves a later one in place, with its
// hash and mode.
void write_export_position(EventStore& store, std::string_view destination, std::int64_t last_seq,
                           domain::Millis now, const std::optional<util::Digest>& last_hash = std::nullopt,
                           const std::optional<std::string>& compat = std::nullopt);

// Deletes the position of a destination: one that no longer describes this
// log (export --from-start after the log was replaced).
void forget_export_position(EventStore& store, std::string_view destination);

// The number of events a filter selects (limit ignored).
std::int64_t count_events(EventStore& store, const EventFilter& filter);

}  // namespace invlog::store
