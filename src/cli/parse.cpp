// Argument parsers. Hand-written on purpose: std::stoll and CLI11's numeric
// conversion accept signs, spaces, hex and exponents that must be refused.
#include "invlog/cli/parse.hpp"

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/http/remote.hpp"
#include "invlog/util/time.hpp"

namespace invlog::cli {
namespace {

domain::Failure bad(std::string_view what, std::string_view text, std::string_view expected) {
    return domain::usage_error("invalid_argument",
                               fmt::format("invalid {} '{}': {}", what, domain::shown(text), expected));
}

// Digits only, no sign; nullopt past max.
std::optional<std::int64_t> digits_value(std::string_view text, std::int64_t max) {
    if (text.empty() || text.size() > 19) return std::nullopt;
    std::int64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        const int digit = c - '0';
        if (v > (max - digit) / 10) return std::nullopt;  // v * 10 + digit > max, without overflow
        v = v * 10 + digit;
    }
    return v;
}

}  // namespace

std::string parse_sku(std::string_view text, std::string_view what) {
    if (!domain::valid_sku(text)) throw bad(what, text, fmt::format("expected {}", domain::sku_rule()));
    return std::string(text);
}

domain::Qty parse_quantity(std::string_view text, std::string_view what, bool allow_zero) {
    auto v = digits_value(text, domain::max_quantity);
    if (!v || !domain::valid_quantity(*v, allow_zero))
        throw bad(what, text, fmt::format("expected {}", domain::quantity_rule(allow_zero)));
    return *v;
}

domain::Qty parse_delta(std::string_view text, std::string_view what) {
    bool negative = !text.empty() && text.front() == '-';
    auto v = digits_value(negative ? text.substr(1) : text, domain::max_quantity);
    if (!v || !domain::valid_delta(*v)) throw bad(what, text, fmt::format("expected {}", domain::delta_rule()));
    return negative ? -*v : *v;
}

std::int64_t parse_count(std::string_view text, std::string_view what, std::int64_t min, std::int64_t max) {
    auto v = digits_value(text, max);
    if (!v || *v < min) throw bad(what, text, fmt::format("expected a whole number from {} to {}", min, max));
    return *v;
}

domain::Millis parse_time_arg(std::string_view text, std::string_view what) {
    auto t = util::parse_time_at(text, util::now_ms());
    if (!t) throw bad(what, text, fmt::format("expected {}", util::time_forms));
    return *t;
}

std::string parse_hash(std::string_view text, std::string_view what) {
    std::string out;
    for (char c : text) {
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
            out += c;
        else if (c >= 'A' && c <= 'F')
            out += static_cast<char>(c - 'A' + 'a');
        else
            throw bad(what, text, "expected a SHA-256 hash of 64 hex digits");
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

std::string parse_db_location(std::string_view text, std::string_view what) {
    if (text.empty()) throw bad(what, text, "must not be empty");
    if (text == ":memory:") throw bad(what, text, "an in-memory database keeps nothing; name a file");
    if (http::is_url(text)) {
        http::parse_url(text, what);  // refuses what cannot be used, before any request
        return std::string(text);
    }
    if (text.substr(0, 5) == "file:")
        throw bad(what, text,
                  "SQLite URIs are not accepted; name the file by its path (./file:... for a file "
                  "whose name starts with 'file:')");
    return std::string(text);
}

std::string parse_text(std::string_view text, std::string_view what, std::size_t max_length) {
    if (auto problem = domain::text_problem(text, max_length)) throw bad(what, text, *problem);
    return std::string(text);
}

}  // namespace invlog::cli
