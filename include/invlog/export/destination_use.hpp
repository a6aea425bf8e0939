// The rules on how an export may use its MongoDB collections, given the
// positions recorded in the database: state documents never go into a
// collection of events, and one collection of events never mixes the native
// and the seed-compatible documents. Pure: the caller reads the positions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "invlog/export/compat.hpp"
#include "invlog/store/export_positions.hpp"

namespace invlog::exporter {

struct DestinationUse {
    std::string events;                // mongodb://hosts/database.collection of the events
    std::optional<std::string> state;  // the same for the state documents (--with-state)
    Compat compat = Compat::native;
    bool from_start = false;
};

// Throws a usage Failure (shared_collection, exit 2) when the state
// documents would go into the events collection, or into a collection that
// an export position shows to hold events; a conflict Failure
// (export_mode_mismatch, exit 4) when a position of the events collection
// (filtered by SKU or not) was recorded in another mode, unless from_start.
// Returns the positions that from_start leaves behind: those of the other
// mode, which it rewrites.
std::vector<std::string> check_destination_use(const DestinationUse& use,
                                               const std::vector<store::ExportPosition>& positions);

}  // namespace invlog::exporter
