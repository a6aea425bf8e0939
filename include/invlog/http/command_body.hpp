// The body of POST /inventory/{sku}/{command} turned into an application
// request. The fields are the command table row's, under their HTTP names
// (quantity, soh, available_quantity), plus "reason" and "actor"; the rules
// are those of apply lines: JSON integers only (not "3", 3.0 or true), every
// field known and given once, null the same as leaving a field out. An empty
// body is {}. Idempotency-Key and If-Match: "N" are headers. Pure: no I/O,
// so a fuzzer links it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "invlog/app/command_table.hpp"
#include "invlog/http/message.hpp"

namespace invlog::http {

struct CommandDefaults {
    std::string actor;  // serve's --actor
};

// Throws a usage domain::Failure naming the field or header and the value.
app::Request parse_command(const app::CommandSpec& spec, const std::string& sku, std::string_view body,
                           const Headers& headers, const CommandDefaults& defaults);

// The checked SKU of a path (a usage Failure otherwise).
std::string path_sku(const std::string& sku);

// Idempotency-Key and If-Match, checked, for any write route.
std::optional<std::string> idempotency_key(const Headers& headers);
std::optional<std::int64_t> expected_version(const Headers& headers);

}  // namespace invlog::http
