// The report renderer.
#include "invlog/output/report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "invlog/output/json.hpp"
#include "invlog/output/table.hpp"
#include "invlog/util/overloaded.hpp"
#include "invlog/util/time.hpp"

namespace invlog::output {
namespace {

Json to_json(const Value& v) {
    return std::visit(util::overloaded{[](std::nullptr_t) { return Json(nullptr); }, [](bool b) { return Json(b); },
                                       [](std::int64_t i) { return Json(i); },
                                       [](const std::string& s) { return Json(s); }},
                      v);
}

// null is "-" in text and empty in CSV.
std::string to_text(const Value& v, const char* null_text) {
    return std::visit(util::overloaded{[&](std::nullptr_t) { return std::string(null_text); },
                                       [](bool b) { return std::string(b ? "true" : "false"); },
                                       [](std::int64_t i) { return std::to_string(i); },
                                       [](const std::string& s) { return s; }},
                      v);
}

Json row_json(const Report& r, const std::vector<Value>& row) {
    Json j = Json::object();
    for (std::size_t c = 0; c < r.columns.size() && c < row.size(); ++c) j[r.columns[c]] = to_json(row[c]);
    return j;
}

std::vector<std::string> cells(const std::vector<Value>& row, const char* null_text) {
    std::vector<std::string> out;
    for (const auto& v : row) out.push_back(to_text(v, null_text));
    return out;
}

std::string render_text(const Report& r, const Style& style) {
    std::size_t width = 0;
    for (const auto& e : r.summary) width = std::max(width, e.key.size() + 1);  // with the colon
    const char* bold = style.color ? "\x1b[1m" : "";
    const char* plain = style.color ? "\x1b[0m" : "";
    std::string out;
    for (const auto& e : r.summary) {
        // The keys of json and csv, so that a user reads one name per field.
        const std::string label = e.key + ":";
        out += fmt::format("{}{:<{}}{} {}\n", bold, label, width, plain, to_text(e.value, "-"));
    }
    if (!r.rows.empty()) {
        if (!out.empty()) out += '\n';
        Table table(r.columns);
        for (const auto& row : r.rows) table.add(cells(row, "-"));
        out += table.render(style);
    }
    if (!r.notes.empty()) {
        if (!out.empty()) out += '\n';
        out += fmt::format("{}{}:{}\n", bold, r.notes_key, plain);
        Table table(r.columns);
        for (const auto& row : r.notes) table.add(cells(row, "-"));
        out += table.render(style);
    }
    return out;
}

}  // namespace

Value time_value(const std::optional<std::int64_t>& ms) { return ms ? Value(util::format_time(*ms)) : Value(nullptr); }

Value text_or_null(const std::string& text) { return text.empty() ? Value(nullptr) : Value(text); }

std::string render_report(const Report& r, Format format, const Style& style) {
    switch (format) {
    case Format::text: return render_text(r, style);
    case Format::csv: {
        const auto header = [&](const std::vector<std::string>& names) {
            return style.header ? csv_row(names) : std::string();
        };
        if (!r.rows_key.empty()) {
            if (r.notes_key.empty()) {
                std::string out = header(r.columns);
                for (const auto& row : r.rows) out += csv_row(cells(row, ""));
                return out;
            }
            auto names = r.columns;
            names.push_back("list");
            std::string out = header(names);
            for (const auto* list : {&r.rows, &r.notes})
                for (const auto& row : *list) {
                    auto line = cells(row, "");
                    line.push_back(list == &r.rows ? r.rows_key : r.notes_key);
                    out += csv_row(line);
                }
            return out;
        }
        std::vector<std::string> keys, values;
        for (const auto& e : r.summary) {
            keys.push_back(e.key);
            values.push_back(to_text(e.value, ""));
        }
        return header(keys) + csv_row(values);
    }
    case Format::json:
    case Format::ndjson: break;
    }
    // Lists keep one row a line; a single object is indented on a terminal
    // and compact when piped.
    const bool list_pretty = format == Format::json;
    const bool pretty = format == Format::json && style.pretty;
    // Values quote the file's contents, which may not be valid UTF-8.
    auto dump = [](const Json& j, int indent) {
        return j.dump(indent, ' ', false, Json::error_handler_t::replace) + "\n";
    };
    Json rows = Json::array();
    for (const auto& row : r.rows) rows.push_back(row_json(r, row));
    if (r.summary.empty() && !r.rows_key.empty()) {
        if (list_pretty) return dump(rows, 2);
        std::string out;
        for (const auto& row : rows) out += dump(row, -1);
        return out;
    }
    Json j = Json::object();
    for (const auto& e : r.summary) j[e.key] = to_json(e.value);
    if (!r.rows_key.empty()) j[r.rows_key] = std::move(rows);
    if (!r.notes_key.empty()) {
        Json notes = Json::array();
        for (const auto& row : r.notes) notes.push_back(row_json(r, row));
        j[r.notes_key] = std::move(notes);
    }
    return dump(j, pretty ? 2 : -1);
}

}  // namespace invlog::output
