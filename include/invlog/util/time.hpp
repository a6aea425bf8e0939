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

// format_time without an allocation: an export writes one time per event.
// Times in the same second as the previous one reuse its date and time of
// day; only the milliseconds are written again.
class TimeFormatter {
public:
    // The same text as format_time(ms), valid until the next call.
    std::string_view operator()(Millis ms);

private:
    bool m_cached = false;
    std::int64_t m_second = 0;
    char m_text[24] = {};
    std::string m_other;  // a time outside the years 0000 to 9999
};

// RFC 3339 with optional fraction and a Z or +HH:MM offset, or a date
// YYYY-MM-DD meaning the last millisecond of that day in UTC. nullopt when the
// text is not one of these or names an impossible date or time.
std::optional<Millis> parse_time(std::string_view text);

// parse_time, or a time relative to `now` (hledger's words): "now";
// "today" and "yesterday", the last millisecond of that UTC day as a date
// means; N followed by s, m, h, d or w, that long before now ("2h", "7d").
std::optional<Millis> parse_time_at(std::string_view text, Millis now);

// What parse_time_at accepts, for messages.
inline constexpr std::string_view time_forms =
    "an RFC 3339 time (2026-11-27T10:00:00Z), a date (2026-11-27), now, today, yesterday, or an age such as 2h or 7d";

}  // namespace invlog::util
