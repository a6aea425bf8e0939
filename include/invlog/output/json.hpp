// The JSON shapes of the public contract: the state object and the event
// object. Keys keep the documented order.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "invlog/domain/record.hpp"
#include "invlog/util/time.hpp"

namespace invlog::output {

using Json = nlohmann::ordered_json;

// {"sku","soh","available_quantity","reserved","version","updated_at"}
Json state_json(const domain::SkuState& s);

// state_json's object as compact JSON text (the same bytes as its dump()),
// appended to out, with one more integer key when extra_key is not empty:
// `list` writes one per SKU, a million of them at scan speed.
void append_state_json(std::string& out, const domain::SkuState& s, std::string_view extra_key = {},
                       std::int64_t extra_value = 0);

// {"seq","event_id","sku","version","event_type","data","recorded_at","actor",
//  "reason","command_id","idempotency_key","hash"} plus "state" when given,
// as compact JSON text (the same bytes dump_line() would give).
std::string event_json(const domain::EventRecord& e, const domain::State* after = nullptr);

// The fields of an event object, borrowed from wherever they are held (a
// record, or a row as the store reads it): what the exporter writes without
// making an EventRecord of every row.
struct EventView {
    std::int64_t seq = 0;
    std::string_view event_id;
    std::string_view sku;
    std::int64_t version = 0;
    const domain::Event& event;
    domain::Millis recorded_at = 0;
    std::string_view actor;
    std::optional<std::string_view> reason;
    std::string_view command_id;
    std::optional<std::string_view> idempotency_key;
    std::string_view hash;  // lowercase hex
};

// The most bytes put_event_json can write for e.
std::size_t event_json_room(const EventView& e);

// event_json's bytes (without "state") written at out, which has room for
// event_json_room(e) bytes; returns the end of what was written.
char* put_event_json(char* out, const EventView& e, util::TimeFormatter& time);

// A history row: the event object with "state", the state right after the
// event, or null when the event is not the last of its command (that state
// never existed).
std::string history_json(const domain::EventRecord& e, const domain::State* after);

// Appends s as a JSON string: escaped as nlohmann::json escapes, invalid
// UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view s);

// The most bytes a string of n bytes takes as JSON: every byte escaped as
// \u00XX, and the quotes.
constexpr std::size_t json_string_room(std::size_t n) { return 6 * n + 2; }

// append_json_string's bytes written at out, which has room for
// json_string_room(s.size()) bytes; returns the end of what was written.
char* put_json_string(char* out, std::string_view s);

// {"code","message","exit_code"}: the body of an error report.
Json error_json(const std::string& code, const std::string& message, int exit_code);

// Compact JSON text; invalid UTF-8 (messages quote user input) is replaced.
std::string dump_line(const Json& j);

}  // namespace invlog::output
