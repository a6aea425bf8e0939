// Query parameters of invlog's own routes: each route names the ones it
// takes, and an unknown one is refused (a typo such as ?asof= must not be
// silently ignored). Values follow the command line's rules; messages name
// the parameter. A parameter given twice is refused too.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "invlog/domain/record.hpp"
#include "invlog/http/router.hpp"

namespace invlog::http {

class Params {
public:
    // Throws a usage Failure for a parameter not in `known` or repeated
    // (except those in `repeatable`).
    Params(const Target& target, std::initializer_list<std::string_view> known,
           std::initializer_list<std::string_view> repeatable = {});

    std::optional<std::string> text(std::string_view name) const;
    std::vector<std::string> all(std::string_view name) const;
    std::optional<std::int64_t> count(std::string_view name, std::int64_t min, std::int64_t max) const;
    std::optional<domain::Millis> time(std::string_view name) const;
    std::optional<std::string> sku(std::string_view name) const;
    // true/false/1/0 (absent: false).
    bool flag(std::string_view name) const;

private:
    const Target& m_target;
};

// The paging of GET /inventory: at most `limit` rows (1 to max_page_rows),
// those after the SKU `after`, in SKU order (a keyset: a page costs the same
// wherever it starts, and a row is never shown twice nor skipped when rows
// are added or changed between pages). Without a limit, every row.
constexpr std::int64_t max_page_rows = 10'000;
struct Page {
    std::optional<std::int64_t> limit;
    std::optional<std::string> after;
};
// Throws a usage Failure (422) for a limit out of range or an `after` that is
// not a SKU.
Page page_of(const Params& params);
// The next page's target: `path`, the query as given but with `after` set to
// `last` (the last SKU of this page), percent-encoded.
std::string next_page_target(std::string_view path, const Target& target, std::string_view last);

// Query parameters a reference route reads; the others are ignored, as
// FastAPI ignores them.
std::optional<std::string> first_param(const Target& target, std::string_view name);

// The same checks outside a Params (headers, reference routes).
std::int64_t parse_count_value(std::string_view text, std::string_view what, std::int64_t min, std::int64_t max);
domain::Millis parse_time_value(std::string_view text, std::string_view what);

}  // namespace invlog::http
