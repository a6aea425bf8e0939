// The request models of the reference service (FastAPI with pydantic v2),
// validated as it validates them, so that a body it refuses is refused here
// with the same 422 entries, in field order:
//   create   {sku: str, soh: int > 0, available_quantity: int > 0}
//   update   {soh: int > 0, available_quantity: int > 0}
//   reserve, complete  {quantity: int > 0}
// As FastAPI does: a body is JSON when the Content-Type is absent or
// application/json (or +json), else it is raw bytes, which no model takes;
// an empty body or JSON null is a missing body. As pydantic's lax mode does:
// an int field takes an integer, true/false, a float without a fractional
// part and a string of digits ("5", " 5 ", "5.0", "1_000"); unknown fields
// are ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "invlog/http/message.hpp"

namespace invlog::http {

enum class ReferenceModel { create, update, quantity };

// What a valid body holds: the SKU (create) and the integers in model order
// (soh, available_quantity; or quantity), as Python ints in decimal: they
// are > 0 but may exceed invlog's limits, which the caller checks.
struct ReferenceFields {
    std::string sku;
    std::vector<std::string> integers;
};

// The fields, or the 422 (or, for a body Python cannot decode, 400)
// response the reference would give.
std::variant<ReferenceFields, Response> validate_reference_body(ReferenceModel model, std::string_view body,
                                                                const std::optional<std::string>& content_type);

}  // namespace invlog::http
