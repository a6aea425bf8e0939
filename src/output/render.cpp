// State, list and error renderers.
#include "invlog/output/render.hpp"

#include <fmt/format.h>

#include "invlog/output/json.hpp"
#include "invlog/util/time.hpp"

namespace invlog::output {
namespace {

const std::vector<std::string> state_columns = {"sku",      "soh",     "available_quantity",
                                                "reserved", "version", "updated_at"};

std::vector<std::string> state_cells(const domain::SkuState& s) {
    return {s.sku,
            std::to_string(s.state.soh),
            std::to_string(s.state.available_quantity),
            std::to_string(s.state.reserved),
            std::to_string(s.state.version),
            util::format_time(s.updated_at)};
}

std::vector<std::string> with_resolved(std::vector<std::string> row, const std::optional<Resolved>& resolved,
                                       bool header) {
    if (resolved) row.push_back(header ? resolved->key : std::to_string(resolved->value));
    return row;
}

Json resolved_state_json(const domain::SkuState& s, const std::optional<Resolved>& resolved) {
    Json j = state_json(s);
    if (resolved) j[resolved->key] = resolved->value;
    return j;
}

std::string data_text(const domain::Event& e) {
    std::string out;
    for (const auto& [name, value] : domain::event_fields(e)) {
        if (!out.empty()) out += ' ';
        out += fmt::format("{}={}", name, value);
    }
    return out;
}

}  // namespace

std::string render_state(const domain::SkuState& s, Format format, const Style& style,
                         const std::vector<std::string>& notes, const std::optional<Resolved>& resolved) {
    switch (format) {
    case Format::json:
    case Format::ndjson: {
        Json j = resolved_state_json(s, resolved);
        if (!notes.empty()) j["notes"] = notes;
        return (format == Format::json && style.pretty ? j.dump(2) : j.dump()) + "\n";
    }
    case Format::csv:
        return (style.header ? csv_row(with_resolved(state_columns, resolved, true)) : std::string()) +
               csv_row(with_resolved(state_cells(s), resolved, false));
    case Format::text: break;
    }
    const char* bold = style.color ? "\x1b[1m" : "";
    const char* plain = style.color ? "\x1b[0m" : "";
    // The keys of json and csv, one name per field; notes go to stderr
    // (cli::print_note), so that standard output is the state alone.
    std::string out;
    auto cells = state_cells(s);
    for (std::size_t i = 0; i < cells.size(); ++i)
        out += fmt::format("{}{:<20}{}{}\n", bold, state_columns[i] + ":", plain, cells[i]);
    return out;
}

ListRenderer::ListRenderer(Format format, Style style, std::vector<std::string> columns,
                           std::vector<bool> right_aligned, std::size_t look_ahead, std::vector<std::size_t> min_width)
    : m_format(format),
      m_style(style),
      m_columns(columns),
      m_hold(look_ahead > 0),
      m_table(std::move(columns), std::move(right_aligned), style, look_ahead, std::move(min_width)) {}

std::string ListRenderer::begin() {
    switch (m_format) {
    case Format::json: return "[";
    case Format::csv: return m_style.header ? csv_row(m_columns) : std::string();
    case Format::text: return m_hold ? std::string() : m_table.release();
    default: return "";
    }
}

std::string ListRenderer::add_row(std::string json_text, const std::vector<std::string>& cells) {
    switch (m_format) {
    case Format::json: {
        std::string out = m_first ? "\n" : ",\n";
        m_first = false;
        return out += json_text;
    }
    case Format::ndjson: json_text += '\n'; return json_text;
    case Format::csv: return csv_row(cells);
    case Format::text: return m_table.add(cells);
    }
    return "";
}

std::string ListRenderer::finish() {
    switch (m_format) {
    case Format::json: return m_first ? "]\n" : "\n]\n";
    case Format::text: return m_table.finish();
    default: return "";
    }
}

StateListRenderer::StateListRenderer(Format format, Style style, std::optional<Resolved> resolved)
    : ListRenderer(format, style, with_resolved(state_columns, format == Format::text ? std::nullopt : resolved, true),
                   {false, true, true, true, true, false}),
      m_resolved(format == Format::text ? std::nullopt : std::move(resolved)) {}

std::string StateListRenderer::add(const domain::SkuState& s) {
    if (m_format == Format::json || m_format == Format::ndjson) {
        std::string json;
        json.reserve(128);
        if (m_resolved)
            append_state_json(json, s, m_resolved->key, m_resolved->value);
        else
            append_state_json(json, s);
        return add_row(std::move(json), {});
    }
    return add_row({}, with_resolved(state_cells(s), m_resolved, false));
}

namespace {

std::vector<std::string> event_columns(Format format, bool with_state) {
    std::vector<std::string> cols;
    if (format == Format::text)
        cols = {"seq", "recorded_at", "sku", "version", "event_type", "data", "actor", "reason"};
    else
        cols = {"seq",         "event_id", "sku",    "version",    "event_type",      "data",
                "recorded_at", "actor",    "reason", "command_id", "idempotency_key", "hash"};
    if (with_state)
        for (const char* c : {"soh", "available_quantity", "reserved"}) cols.emplace_back(c);
    return cols;
}

std::vector<bool> event_alignment(Format format, bool with_state) {
    std::vector<bool> right;
    if (format == Format::text) right = {true, false, false, true, false, false, false, false};
    if (with_state) right.insert(right.end(), {true, true, true});
    return right;
}

}  // namespace

// The fixed widths of followed text rows: seq, recorded_at, sku, version,
// event_type, data, actor, reason (never padded), then the state.
std::vector<std::size_t> follow_widths(bool with_state) {
    std::vector<std::size_t> width = {6, 24, 12, 7, 28, 20, 10, 0};
    if (with_state) width.insert(width.end(), {6, 18, 8});
    return width;
}

EventListRenderer::EventListRenderer(Format format, Style style, bool with_state, bool follow)
    : ListRenderer(format, style, event_columns(format, with_state), event_alignment(format, with_state),
                   follow ? 0 : StreamTable::default_look_ahead,
                   follow ? follow_widths(with_state) : std::vector<std::size_t>{}),
      m_with_state(with_state) {}

std::string EventListRenderer::add(const domain::EventRecord& e, const domain::State* after) {
    if (m_format == Format::json || m_format == Format::ndjson)
        return add_row(m_with_state ? history_json(e, after) : event_json(e), {});
    std::vector<std::string> cells;
    const std::string seq = std::to_string(e.seq), version = std::to_string(e.version),
                      at = util::format_time(e.recorded_at), type(domain::event_type(e.event));
    if (m_format == Format::text)
        cells = {seq, at, e.sku, version, type, data_text(e.event), e.meta.actor, e.meta.reason.value_or("")};
    else
        cells = {seq,
                 e.event_id,
                 e.sku,
                 version,
                 type,
                 domain::data_json_text(e.event),
                 at,
                 e.meta.actor,
                 e.meta.reason.value_or(""),
                 e.meta.command_id,
                 e.meta.idempotency_key.value_or(""),
                 e.hash};
    if (m_with_state)
        for (auto v : {&domain::State::soh, &domain::State::available_quantity, &domain::State::reserved})
            cells.push_back(after ? std::to_string(after->*v) : m_format == Format::text ? "-" : "");
    return add_row({}, cells);
}

std::string render_error(const std::string& code, const std::string& message, int exit_code, Format format) {
    if (format == Format::json || format == Format::ndjson) {
        Json j;
        j["error"] = error_json(code, message, exit_code);
        return dump_line(j) + "\n";
    }
    return fmt::format("invlog: {}\n", message);
}

}  // namespace invlog::output
