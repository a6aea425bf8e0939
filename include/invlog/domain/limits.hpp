// Input rules shared by every entry point (arguments, batch lines). The
// *_rule() texts complete "expected ..." in the messages that refuse a value.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "invlog/domain/events.hpp"

namespace invlog::domain {

inline constexpr Qty max_quantity = 1'000'000'000'000;  // 10^12
inline constexpr std::size_t max_sku_length = 64;
inline constexpr std::size_t max_actor_length = 256;
inline constexpr std::size_t max_reason_length = 4096;
inline constexpr std::size_t max_key_length = 256;  // idempotency keys

// 1 to 64 characters of A-Z a-z 0-9 . _ : / -
bool valid_sku(std::string_view sku);
std::string_view sku_rule();

// A quantity: 1 to 10^12, or 0 to 10^12 when allow_zero.
bool valid_quantity(Qty q, bool allow_zero);
std::string quantity_rule(bool allow_zero);

// A DELTA: non-zero, magnitude at most 10^12.
bool valid_delta(Qty d);
std::string delta_rule();

// Why a free text (actor, reason, idempotency key) is refused: empty, longer
// than max_length bytes, not UTF-8, or a character that unsafe_character()
// names (controls, bidirectional formatting, line separators, U+FEFF), which
// would be printed raw by every command that shows the text; nullopt when valid.
std::optional<std::string> text_problem(std::string_view text, std::size_t max_length);

}  // namespace invlog::domain
