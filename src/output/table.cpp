// Text tables and CSV.
#include "invlog/output/table.hpp"

#include <algorithm>
#include <string_view>

namespace invlog::output {

Table::Table(std::vector<std::string> headers, std::vector<bool> right_aligned)
    : m_headers(std::move(headers)), m_right(std::move(right_aligned)) {
    m_right.resize(m_headers.size(), false);
}

void Table::add(std::vector<std::string> row) {
    row.resize(m_headers.size());
    m_rows.push_back(std::move(row));
}

std::string Table::render(const Style& style) const {
    std::vector<std::size_t> width(m_headers.size());
    for (std::size_t c = 0; c < m_headers.size(); ++c) {
        width[c] = m_headers[c].size();
        for (const auto& row : m_rows) width[c] = std::max(width[c], row[c].size());
    }
    auto line = [&](const std::vector<std::string>& cells, bool header) {
        std::string out;
        if (header && style.color) out += "\x1b[1m";
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const bool last = c + 1 == cells.size();
            std::string pad(width[c] - cells[c].size(), ' ');
            if (m_right[c]) out += pad + cells[c];
            else out += last ? cells[c] : cells[c] + pad;
            if (!last) out += "  ";
        }
        if (header && style.color) out += "\x1b[0m";
        out += '\n';
        return out;
    };
    std::string out = style.header ? line(m_headers, true) : std::string();
    for (const auto& row : m_rows) out += line(row, false);
    return out;
}

namespace {

// A whole number as invlog writes one: an optional minus and digits.
bool is_number(const std::string& f) {
    const std::size_t start = !f.empty() && f[0] == '-' ? 1 : 0;
    return f.size() > start && f.find_first_not_of("0123456789", start) == std::string::npos;
}

}  // namespace

std::string csv_row(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        std::string f = fields[i];
        // A text cell that a spreadsheet would run as a formula is quoted
        // with a leading apostrophe (OWASP's CSV injection advice); numbers,
        // negative ones included, are left alone.
        if (!f.empty() && std::string_view("=+-@\t\r").find(f[0]) != std::string_view::npos && !is_number(f))
            f.insert(0, 1, '\'');
        if (f.find_first_of(",\"\r\n") == std::string::npos) {
            out += f;
            continue;
        }
        out += '"';
        for (char ch : f) {
            if (ch == '"') out += '"';
            out += ch;
        }
        out += '"';
    }
    out += "\r\n";  // RFC 4180, as sqlite3 and Python's csv write it
    return out;
}

}  // namespace invlog::output
