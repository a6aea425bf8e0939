// Where each export destination stands: the last seq it has acknowledged,
// kept by the store (EventStore::read_export_position and the others; the
// export_positions table of a file).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/domain/record.hpp"
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

}  // namespace invlog::store
