// Reports of the audit and upkeep commands (verify, stats, config, init,
// rebuild, backup): a summary of named values and, for some, a list of rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "invlog/output/format.hpp"

namespace invlog::output {

using Value = std::variant<std::nullptr_t, bool, std::int64_t, std::string>;

// A time in milliseconds as RFC 3339 text, or null.
Value time_value(const std::optional<std::int64_t>& ms);
// The text, or null when it is empty.
Value text_or_null(const std::string& text);

struct Entry {
    std::string key;
    Value value;
};

struct Report {
    std::vector<Entry> summary;
    std::string rows_key;  // the JSON key of the rows ("problems"); empty: no rows
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> rows;
    // A second list with the same columns ("notices"); empty key: none.
    std::string notes_key;
    std::vector<std::vector<Value>> notes;
};

// text: "key: value" lines (underscores shown as spaces), then the rows as a
// table, then the notes as a table under "notes_key:". json/ndjson: one
// object, the rows an array under rows_key and the notes under notes_key;
// with no summary, the rows alone as a list command prints them (an array, or
// one line each). csv: the rows with a header when the report has rows_key,
// else the summary as a header and one line; a report with notes_key has one
// more column, "list", naming the list of each row (rows_key or notes_key),
// and its notes follow its rows.
std::string render_report(const Report& report, Format format, const Style& style);

}  // namespace invlog::output
