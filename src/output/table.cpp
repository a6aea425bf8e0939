// Text tables and CSV.
#include "invlog/output/table.hpp"

#include <algorithm>
#include <string_view>

#include "invlog/output/width.hpp"

namespace invlog::output {

namespace {

// Cells as a terminal may show them, and their widths.
struct Cells {
    std::vector<std::string> text;
    std::vector<std::size_t> width;
};

Cells prepare(std::vector<std::string> row, std::size_t columns) {
    row.resize(columns);
    Cells c{std::move(row), {}};
    c.width.reserve(columns);
    for (auto& cell : c.text) {
        cell = terminal_safe(cell);
        c.width.push_back(display_width(cell));
    }
    return c;
}

void widen(std::vector<std::size_t>& width, const Cells& cells) {
    for (std::size_t c = 0; c < width.size(); ++c) width[c] = std::max(width[c], cells.width[c]);
}

// Columns separated by two spaces, each padded to its width (a wider cell is
// written whole); the last one, when left-aligned, is not padded.
void append_line(std::string& out, const Cells& cells, const std::vector<std::size_t>& width,
                 const std::vector<bool>& right, bool bold) {
    if (bold) out += "\x1b[1m";
    for (std::size_t c = 0; c < cells.text.size(); ++c) {
        const bool last = c + 1 == cells.text.size();
        const std::size_t pad = width[c] > cells.width[c] ? width[c] - cells.width[c] : 0;
        if (right[c]) {
            out.append(pad, ' ');
            out += cells.text[c];
        } else {
            out += cells.text[c];
            if (!last) out.append(pad, ' ');
        }
        if (!last) out += "  ";
    }
    if (bold) out += "\x1b[0m";
    out += '\n';
}

}  // namespace

Table::Table(std::vector<std::string> headers, std::vector<bool> right_aligned)
    : m_headers(std::move(headers)), m_right(std::move(right_aligned)) {
    m_right.resize(m_headers.size(), false);
}

void Table::add(std::vector<std::string> row) {
    row.resize(m_headers.size());
    m_rows.push_back(std::move(row));
}

std::string Table::render(const Style& style) const {
    StreamTable table(m_headers, m_right, style, m_rows.size() + 1);
    std::string out;
    for (const auto& row : m_rows) out += table.add(row);
    return out + table.finish();
}

StreamTable::StreamTable(std::vector<std::string> headers, std::vector<bool> right_aligned, Style style,
                         std::size_t look_ahead, std::vector<std::size_t> min_width)
    : m_headers(std::move(headers)),
      m_right(std::move(right_aligned)),
      m_style(style),
      m_look_ahead(look_ahead),
      m_width(std::move(min_width)) {
    m_right.resize(m_headers.size(), false);
    m_width.resize(m_headers.size(), 0);
    m_held.reserve(std::min<std::size_t>(m_look_ahead, 1024));
}

std::string StreamTable::add(std::vector<std::string> row) {
    if (m_released) {
        std::string out;
        append_line(out, prepare(std::move(row), m_headers.size()), m_width, m_right, false);
        return out;
    }
    m_held.push_back(std::move(row));
    return m_held.size() >= m_look_ahead ? release() : std::string();
}

std::string StreamTable::finish() { return m_released ? std::string() : release(); }

std::string StreamTable::release() {
    m_released = true;
    const Cells header = prepare(m_headers, m_headers.size());
    widen(m_width, header);
    std::vector<Cells> rows;
    rows.reserve(m_held.size());
    for (auto& row : m_held) {
        rows.push_back(prepare(std::move(row), m_headers.size()));
        widen(m_width, rows.back());
    }
    m_held = {};
    std::string out;
    if (m_style.header) append_line(out, header, m_width, m_right, m_style.color);
    for (const auto& row : rows) append_line(out, row, m_width, m_right, false);
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
