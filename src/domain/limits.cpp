// Input rules: SKU syntax, quantity ranges, free text.
#include "invlog/domain/limits.hpp"

#include <cstdint>

#include <fmt/format.h>

#include "invlog/domain/text.hpp"

namespace invlog::domain {

bool valid_sku(std::string_view sku) {
    if (sku.empty() || sku.size() > max_sku_length) return false;
    for (unsigned char c : sku) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == ':' || c == '/' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::string_view sku_rule() { return "1 to 64 characters of A-Z a-z 0-9 . _ : / -"; }

bool valid_quantity(Qty q, bool allow_zero) { return q >= (allow_zero ? 0 : 1) && q <= max_quantity; }

std::string quantity_rule(bool allow_zero) {
    return fmt::format("a whole number from {} to {}", allow_zero ? 0 : 1, max_quantity);
}

bool valid_delta(Qty d) { return d != 0 && d >= -max_quantity && d <= max_quantity; }

std::string delta_rule() { return fmt::format("a non-zero whole number from -{0} to {0}", max_quantity); }

std::optional<std::string> text_problem(std::string_view text, std::size_t max_length) {
    if (text.empty()) return "must not be empty";
    if (text.size() > max_length) return fmt::format("longer than {} bytes", max_length);
    for (std::size_t at = 0; at < text.size();) {
        const auto cp = decode_utf8(text, at);
        if (!cp) return fmt::format("not valid UTF-8 (at byte {})", at);
        if (auto what = unsafe_character(cp->value))
            return fmt::format("{} are not allowed (U+{:04X} at byte {})", *what, static_cast<std::uint32_t>(cp->value),
                               at);
        at += cp->length;
    }
    return std::nullopt;
}

}  // namespace invlog::domain
