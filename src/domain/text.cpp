// UTF-8 decoding, unsafe characters and the echo of user values.
#include "invlog/domain/text.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace invlog::domain {

std::optional<CodePoint> decode_utf8(std::string_view text, std::size_t at) {
    if (at >= text.size()) return std::nullopt;
    const auto c = static_cast<unsigned char>(text[at]);
    const std::size_t n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : 99;
    if (n == 99 || at + n >= text.size()) return std::nullopt;
    std::uint32_t cp = n == 0 ? c : c & (0x3f >> n);
    for (std::size_t k = 1; k <= n; ++k) {
        const auto cc = static_cast<unsigned char>(text[at + k]);
        if ((cc >> 6) != 0x2) return std::nullopt;
        cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr std::uint32_t min_for[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
    return CodePoint{static_cast<char32_t>(cp), n + 1};
}

std::optional<std::string_view> unsafe_character(char32_t cp) {
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return "control characters";
    if (cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
        (cp >= 0x2066 && cp <= 0x2069))
        return "bidirectional formatting characters";
    if (cp == 0x2028 || cp == 0x2029) return "line and paragraph separators";
    if (cp == 0xfeff) return "byte order marks (U+FEFF)";
    return std::nullopt;
}

std::string shown(std::string_view text, std::size_t max_bytes) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto cp = decode_utf8(text, at);
        const std::size_t length = cp ? cp->length : 1;
        if (at + length > max_bytes) break;
        if (!cp || (cp->value < 0x80 && unsafe_character(cp->value)))
            out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[at]));
        else if (unsafe_character(cp->value))
            out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(cp->value));
        else
            out.append(text.substr(at, length));
        at += length;
    }
    if (at < text.size()) out += fmt::format("... ({} bytes)", text.size());
    return out;
}

}  // namespace invlog::domain
