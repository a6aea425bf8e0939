// Aligned text tables and CSV rows, rendered to strings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/output/format.hpp"

namespace invlog::output {

// A whole table held in memory, for the short ones (the reports of verify
// and stats). Columns are padded by display width (output/width.hpp).
class Table {
public:
    explicit Table(std::vector<std::string> headers, std::vector<bool> right_aligned = {});
    void add(std::vector<std::string> row);
    bool empty() const { return m_rows.empty(); }
    // Columns separated by two spaces; the header bold when style.color.
    std::string render(const Style& style) const;

private:
    std::vector<std::string> m_headers;
    std::vector<bool> m_right;
    std::vector<std::vector<std::string>> m_rows;
};

// A table of any length in flat memory, for the listings (list, events,
// history). The first `look_ahead` rows are held to size the columns, as
// Table would; then they are written, and every later row is written as it
// comes with those widths. A later cell wider than its column is written
// whole and pushes the rest of its row to the right: nothing is cut, and a
// table of up to `look_ahead` rows is the one Table renders. Columns are at
// least `min_width` wide (a table that never ends, such as a followed log,
// has no rows to size them by).
class StreamTable {
public:
    static constexpr std::size_t default_look_ahead = 1000;
    StreamTable(std::vector<std::string> headers, std::vector<bool> right_aligned, Style style,
                std::size_t look_ahead = default_look_ahead, std::vector<std::size_t> min_width = {});
    // The text to write now: empty while the look-ahead fills.
    std::string add(std::vector<std::string> row);
    // Ends the look-ahead now: the header and the rows held so far; every
    // later row is written as it comes.
    std::string release();
    // The rest: the header and the held rows if the look-ahead never filled.
    std::string finish();

private:
    std::vector<std::string> m_headers;
    std::vector<bool> m_right;
    Style m_style;
    std::size_t m_look_ahead;
    std::vector<std::vector<std::string>> m_held;
    std::vector<std::size_t> m_width;
    bool m_released = false;
};

// One RFC 4180 line, CRLF-free: fields quoted when they hold a comma, quote or
// line break.
std::string csv_row(const std::vector<std::string>& fields);

}  // namespace invlog::output
