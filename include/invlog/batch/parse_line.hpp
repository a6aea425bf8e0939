// One line of `invlog apply` input, a JSON object such as
//   {"cmd":"reserve","sku":"A","qty":3,"idempotency_key":"order-17"}
// turned into an application request. The rules are those of the command
// line (domain/limits.hpp); JSON adds its own: quantities are JSON integers
// (not "3", 3.0, 3e0 or true), every field is known and appears once, a
// field the command does not take is refused, and null is the same as
// leaving the field out. Pure: no I/O, no CLI11, so a fuzzer can link it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "invlog/app/service.hpp"

namespace invlog::batch {

// What the batch supplies when a line does not: the actor and the reason.
struct Defaults {
    std::string actor;
    std::optional<std::string> reason;
};

// Parses one line. Throws a usage domain::Failure whose message names the
// field and the bad value.
app::Request parse_line(std::string_view line, const Defaults& defaults);

}  // namespace invlog::batch
