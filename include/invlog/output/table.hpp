// Aligned text tables and CSV rows, rendered to strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "invlog/output/format.hpp"

namespace invlog::output {

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

// One RFC 4180 line, CRLF-free: fields quoted when they hold a comma, quote or
// line break.
std::string csv_row(const std::vector<std::string>& fields);

}  // namespace invlog::output
