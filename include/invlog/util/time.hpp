// Timestamps: milliseconds since the Unix epoch, rendered as RFC 3339 UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace invlog::util {

using Millis = std::int64_t;

Millis now_ms();

// "2026-11-27T10:00:00.000Z"
std::string format_time(Millis ms);

// RFC 3339 with optional fraction and a Z or +HH:MM offset, or a date
// YYYY-MM-DD meaning the last millisecond of that day in UTC. nullopt when the
// text is not one of these or names an impossible date or time.
std::optional<Millis> parse_time(std::string_view text);

}  // namespace invlog::util
