// Strict parsers for command-line values. Each throws a usage Failure whose
// message names the argument and the bad value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "invlog/domain/events.hpp"
#include "invlog/domain/record.hpp"

namespace invlog::cli {

// A SKU: 1 to 64 characters of A-Z a-z 0-9 . _ : / -
std::string parse_sku(std::string_view text, std::string_view what = "SKU");

// Plain decimal digits, 1..10^12 (0 too when allow_zero).
domain::Qty parse_quantity(std::string_view text, std::string_view what, bool allow_zero = false);

// An optional leading minus, then digits; non-zero, magnitude at most 10^12.
domain::Qty parse_delta(std::string_view text, std::string_view what = "DELTA");

// Plain decimal digits within [min, max].
std::int64_t parse_count(std::string_view text, std::string_view what, std::int64_t min, std::int64_t max);

// RFC 3339 or YYYY-MM-DD (end of that day, UTC).
domain::Millis parse_time_arg(std::string_view text, std::string_view what);

// A SHA-256 hash: 64 hex digits of either case, returned in lowercase.
std::string parse_hash(std::string_view text, std::string_view what);

// HASH@SEQ: a hash and the seq of the event that should have it.
std::pair<std::string, std::int64_t> parse_hash_at_seq(std::string_view text, std::string_view what);

// Where the database is (--db, $INVLOG_DB, the default path): a file path.
// SQLite's special names, which would store nothing or not in the named file
// (":memory:", "file:" URIs, the empty name), are usage errors. The one place
// that decides what a database location may be. An http:// or https:// URL
// names a server (http::parse_url checks it).
std::string parse_db_location(std::string_view text, std::string_view what);

// Free text (actor, reason, idempotency key): non-empty, no control
// characters, at most max_length bytes.
std::string parse_text(std::string_view text, std::string_view what, std::size_t max_length);

}  // namespace invlog::cli
