// Where the commands of the log end. The events of one command share a
// command_id and are contiguous in seq, and so in their SKU's versions (a
// reservation is STOCK_RESERVED then AVAILABLE_QUANTITY_DECREASED): a
// position between two of them names a state that no reader ever saw, which
// may break the invariant. These find the last position at or before a given
// one where the log stood between two commands.
#pragma once

#include <cstdint>
#include <string_view>

#include "invlog/store/event_store.hpp"

namespace invlog::store {

// `seq` itself when no command spans it (its event ends a command, or the log
// has no later event), else the seq just before the first event of the
// command it falls in (0 when that command opens the log).
std::int64_t last_complete_seq(EventStore& store, std::int64_t seq);

// The same among one SKU's versions. A version the SKU does not have is
// returned as it is.
std::int64_t last_complete_version(EventStore& store, std::string_view sku, std::int64_t version);

}  // namespace invlog::store
