// Recorded events and SKU states as the outer layers see them: the domain
// values plus the metadata the log adds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "invlog/domain/events.hpp"
#include "invlog/domain/state.hpp"

namespace invlog::domain {

using Millis = std::int64_t;  // milliseconds since the Unix epoch, UTC

struct Metadata {
    std::string actor;
    std::optional<std::string> reason;
    std::string command_id;
    std::optional<std::string> idempotency_key;
};

struct EventRecord {
    std::int64_t seq = 0;
    std::string event_id;
    std::string sku;
    std::int64_t version = 0;
    Event event;
    Millis recorded_at = 0;
    Metadata meta;
    std::string hash;  // lowercase hex SHA-256
};

struct SkuState {
    std::string sku;
    State state;
    Millis updated_at = 0;
};

}  // namespace invlog::domain
