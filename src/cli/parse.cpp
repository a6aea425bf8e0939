// Argument parsers. Hand-written on purpose: std::stoll and CLI11's numeric
// conversion accept signs, spaces, hex and exponents that must be refused.
#include "invlog/cli/parse.hpp"

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/util/time.hpp"

namespace invlog::cli {
namespace {

// Shows a value safely on one line: control bytes escaped, long values cut.
std::string shown(std::string_view text) {
    std::string out;
    for (unsigned char c : text.substr(0, 80)) {
        if (c < 0x20 || c == 0x7f)
            out += fmt::format("\\x{:02x}", c);
        else
            out += static_cast<char>(c);
    }
    if (text.size() > 80) out += "...";
    return out;
}

domain::Failure bad(std::string_view what, std::string_view text, std::string_view expected) {
    return domain::usage_error("invalid_argument", fmt::format("invalid {} '{}': {}", what, shown(text), expected));
}

// Digits only, no sign; nullopt past max.
std::optional<std::int64_t> digits_value(std::string_view text, std::int64_t max) {
    if (text.empty() || text.size() > 19) return std::nullopt;
    std::int64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
        if (v > max) return std::nullopt;
    }
    return v;
}

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

std::string parse_sku(std::string_view text, std::string_view what) {
    if (!domain::valid_sku(text))
        throw bad(what, text, "expected 1 to 64 characters of A-Z a-z 0-9 . _ : / -");
    return std::string(text);
}

domain::Qty parse_quantity(std::string_view text, std::string_view what, bool allow_zero) {
    auto v = digits_value(text, domain::max_quantity);
    if (!v || (*v == 0 && !allow_zero))
        throw bad(what, text,
                  fmt::format("expected a whole number from {} to {}", allow_zero ? 0 : 1, domain::max_quantity));
    return *v;
}

domain::Qty parse_delta(std::string_view text, std::string_view what) {
    bool negative = !text.empty() && text.front() == '-';
    auto v = digits_value(negative ? text.substr(1) : text, domain::max_quantity);
    if (!v || *v == 0)
        throw bad(what, text,
                  fmt::format("expected a non-zero whole number from -{0} to {0}", domain::max_quantity));
    return negative ? -*v : *v;
}

std::int64_t parse_count(std::string_view text, std::string_view what, std::int64_t min, std::int64_t max) {
    auto v = digits_value(text, max);
    if (!v || *v < min) throw bad(what, text, fmt::format("expected a whole number from {} to {}", min, max));
    return *v;
}

domain::Millis parse_time_arg(std::string_view text, std::string_view what) {
    auto t = util::parse_time(text);
    if (!t) throw bad(what, text, "expected an RFC 3339 time (2026-11-27T10:00:00Z) or a date (2026-11-27)");
    return *t;
}

std::string parse_hash(std::string_view text, std::string_view what) {
    std::string out;
    for (char c : text) {
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) out += c;
        else if (c >= 'A' && c <= 'F') out += static_cast<char>(c - 'A' + 'a');
        else throw bad(what, text, "expected a SHA-256 hash of 64 hex digits");
    }
    if (out.size() != 64) throw bad(what, text, "expected a SHA-256 hash of 64 hex digits");
    return out;
}

std::pair<std::string, std::int64_t> parse_hash_at_seq(std::string_view text, std::string_view what) {
    auto at = text.rfind('@');
    if (at == std::string_view::npos) throw bad(what, text, "expected HASH@SEQ");
    return {parse_hash(text.substr(0, at), fmt::format("{} hash", what)),
            parse_count(text.substr(at + 1), fmt::format("{} seq", what), 1, INT64_MAX)};
}

std::string parse_text(std::string_view text, std::string_view what, std::size_t max_length) {
    if (text.empty()) throw bad(what, text, "must not be empty");
    if (text.size() > max_length) throw bad(what, text, fmt::format("longer than {} bytes", max_length));
    for (unsigned char c : text)
        if (c < 0x20 || c == 0x7f) throw bad(what, text, "control characters are not allowed");
    if (!valid_utf8(text)) throw bad(what, text, "not valid UTF-8");
    return std::string(text);
}

}  // namespace invlog::cli
