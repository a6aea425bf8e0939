// Streamed event rows (events --follow, history --follow).
#include "invlog/output/event_stream.hpp"

#include <fmt/format.h>

#include "invlog/util/time.hpp"

namespace invlog::output {
namespace {

// The text columns of events and history, with the width each is padded to
// and its side; the last column is never padded.
struct Column {
    const char* name;
    std::size_t width;
    bool right;
};
constexpr Column event_columns[] = {{"seq", 6, true},         {"recorded_at", 24, false}, {"sku", 12, false},
                                    {"version", 7, true},     {"event_type", 28, false},  {"data", 20, false},
                                    {"actor", 10, false},     {"reason", 16, false}};
constexpr Column state_columns[] = {{"soh", 6, true}, {"available_quantity", 18, true}, {"reserved", 8, true}};

std::string text_line(const std::vector<std::string>& cells, bool with_state) {
    std::vector<Column> cols(std::begin(event_columns), std::end(event_columns));
    if (with_state) cols.insert(cols.end(), std::begin(state_columns), std::end(state_columns));
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const bool last = i + 1 == cells.size();
        const std::string& cell = cells[i];
        const std::string pad(cell.size() < cols[i].width ? cols[i].width - cell.size() : 0, ' ');
        if (cols[i].right) out += pad + cell;
        else out += last ? cell : cell + pad;
        if (!last) out += "  ";
    }
    // An empty last cell (no reason) leaves no trailing blanks.
    out.erase(out.find_last_not_of(' ') + 1);
    return out + "\n";
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

EventStreamRenderer::EventStreamRenderer(Format format, Style style, bool with_state)
    : m_format(format), m_style(style), m_with_state(with_state), m_list(format, style, with_state) {}

std::string EventStreamRenderer::begin() {
    if (m_format != Format::text) return m_format == Format::json ? std::string() : m_list.begin();
    if (!m_style.header) return "";
    std::vector<std::string> names;
    for (const auto& c : event_columns) names.emplace_back(c.name);
    if (m_with_state)
        for (const auto& c : state_columns) names.emplace_back(c.name);
    const std::string line = text_line(names, m_with_state);
    return m_style.color ? "\x1b[1m" + line.substr(0, line.size() - 1) + "\x1b[0m\n" : line;
}

std::string EventStreamRenderer::add(const domain::EventRecord& e, const domain::State* after) {
    if (m_format != Format::text) return m_list.add(e, after);
    std::vector<std::string> cells = {std::to_string(e.seq),
                                      util::format_time(e.recorded_at),
                                      e.sku,
                                      std::to_string(e.version),
                                      std::string(domain::event_type(e.event)),
                                      data_text(e.event),
                                      e.meta.actor,
                                      e.meta.reason.value_or("")};
    if (m_with_state)
        for (auto v : {&domain::State::soh, &domain::State::available_quantity, &domain::State::reserved})
            cells.push_back(after ? std::to_string(after->*v) : "-");
    return text_line(cells, m_with_state);
}

}  // namespace invlog::output
