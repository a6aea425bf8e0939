// Query parameters (see params.hpp).
#include "invlog/http/params.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/util/time.hpp"

namespace invlog::http {
namespace {

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

std::string param_name(std::string_view name) { return fmt::format("query parameter {}", name); }

}  // namespace

std::int64_t parse_count_value(std::string_view text, std::string_view what, std::int64_t min, std::int64_t max) {
    std::int64_t v = 0;
    bool ok = !text.empty() && text.size() <= 19;
    for (char c : text) {
        if (!ok) break;
        if (c < '0' || c > '9' || v > (max - (c - '0')) / 10)
            ok = false;
        else
            v = v * 10 + (c - '0');
    }
    if (!ok || v < min) throw bad(what, text, fmt::format("expected a whole number from {} to {}", min, max));
    return v;
}

domain::Millis parse_time_value(std::string_view text, std::string_view what) {
    auto t = util::parse_time_at(text, util::now_ms());
    if (!t) throw bad(what, text, fmt::format("expected {}", util::time_forms));
    return *t;
}

std::optional<std::string> first_param(const Target& target, std::string_view name) {
    auto it = target.query.find(std::string(name));
    if (it == target.query.end()) return std::nullopt;
    return it->second;
}

Params::Params(const Target& target, std::initializer_list<std::string_view> known,
               std::initializer_list<std::string_view> repeatable)
    : m_target(target) {
    for (const auto& [key, value] : target.query) {
        if (std::find(known.begin(), known.end(), key) == known.end())
            throw domain::usage_error("unknown_parameter",
                                      fmt::format("unknown query parameter '{}' (this route takes: {})", shown(key),
                                                  known.size() ? fmt::format("{}", fmt::join(known, ", "))
                                                               : std::string("none")));
        if (target.query.count(key) > 1 && std::find(repeatable.begin(), repeatable.end(), key) == repeatable.end())
            throw domain::usage_error("duplicate_parameter",
                                      fmt::format("query parameter '{}' is given more than once", key));
    }
}

std::optional<std::string> Params::text(std::string_view name) const { return first_param(m_target, name); }

std::vector<std::string> Params::all(std::string_view name) const {
    std::vector<std::string> out;
    auto [b, e] = m_target.query.equal_range(std::string(name));
    for (auto it = b; it != e; ++it) out.push_back(it->second);
    return out;
}

std::optional<std::int64_t> Params::count(std::string_view name, std::int64_t min, std::int64_t max) const {
    auto v = text(name);
    if (!v) return std::nullopt;
    return parse_count_value(*v, param_name(name), min, max);
}

std::optional<domain::Millis> Params::time(std::string_view name) const {
    auto v = text(name);
    if (!v) return std::nullopt;
    return parse_time_value(*v, param_name(name));
}

std::optional<std::string> Params::sku(std::string_view name) const {
    auto v = text(name);
    if (!v) return std::nullopt;
    if (!domain::valid_sku(*v)) throw bad(param_name(name), *v, fmt::format("expected {}", domain::sku_rule()));
    return v;
}

bool Params::flag(std::string_view name) const {
    auto v = text(name);
    if (!v) return false;
    if (*v == "true" || *v == "1") return true;
    if (*v == "false" || *v == "0") return false;
    throw bad(param_name(name), *v, "expected true or false");
}

Page page_of(const Params& params) {
    Page page;
    page.limit = params.count("limit", 1, max_page_rows);
    page.after = params.sku("after");
    return page;
}

std::string next_page_target(std::string_view path, const Target& target, std::string_view last) {
    std::string next(path);
    char sep = '?';
    for (const auto& [k, v] : target.query) {
        if (k == "after") continue;
        next += sep + percent_encode(k) + "=" + percent_encode(v);
        sep = '&';
    }
    next += sep;
    next += "after=" + percent_encode(last);
    return next;
}

}  // namespace invlog::http
