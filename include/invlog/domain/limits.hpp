// Input rules shared by every entry point (arguments, batch lines).
#pragma once

#include <string_view>

#include "invlog/domain/events.hpp"

namespace invlog::domain {

inline constexpr Qty max_quantity = 1'000'000'000'000;  // 10^12
inline constexpr std::size_t max_sku_length = 64;

// 1 to 64 characters of A-Z a-z 0-9 . _ : / -
bool valid_sku(std::string_view sku);

}  // namespace invlog::domain
