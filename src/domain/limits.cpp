// Input rules: SKU syntax, quantity ranges, free text.
#include "invlog/domain/limits.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace invlog::domain {
namespace {

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : 99;
        if (n == 99 || i + n >= s.size()) return false;
        std::uint32_t cp = n == 0 ? c : c & (0x3f >> n);
        for (std::size_t k = 1; k <= n; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc >> 6) != 0x2) return false;
            cp = (cp << 6) | (cc & 0x3f);
        }
        static const std::uint32_t min_for[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_for[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        i += n + 1;
    }
    return true;
}

}  // namespace

bool valid_sku(std::string_view sku) {
    if (sku.empty() || sku.size() > max_sku_length) return false;
    for (unsigned char c : sku) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == ':' || c == '/' || c == '-';
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
    for (unsigned char c : text)
        if (c < 0x20 || c == 0x7f) return "control characters are not allowed";
    if (!valid_utf8(text)) return "not valid UTF-8";
    return std::nullopt;
}

}  // namespace invlog::domain
