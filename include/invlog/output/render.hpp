// Renderers: every function returns the text to write, nothing prints.
// Lists stream: begin(), add() per row, finish(); text tables hold their
// first rows only, to size the columns (StreamTable).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "invlog/domain/error.hpp"
#include "invlog/domain/record.hpp"
#include "invlog/output/format.hpp"
#include "invlog/output/table.hpp"

namespace invlog::output {

// The position a look into the past was answered at (list --at-seq gives
// "resolved_seq", show --at-version "resolved_version"): the one asked for,
// or the end of the last complete command before it when it fell inside a
// command. JSON objects and CSV rows carry it as a last field, always when
// asked for, so that every row has the same keys; text leaves it out.
struct Resolved {
    std::string key;
    std::int64_t value = 0;
};

// One state (show and the write commands), with notes for the operator.
std::string render_state(const domain::SkuState& s, Format format, const Style& style,
                         const std::vector<std::string>& notes = {}, const std::optional<Resolved>& resolved = {});

// The shared machinery of list renderers: JSON array punctuation, ndjson
// lines, CSV header and the streamed text table.
class ListRenderer {
public:
    ListRenderer(Format format, Style style, std::vector<std::string> columns, std::vector<bool> right_aligned,
                 std::size_t look_ahead = StreamTable::default_look_ahead, std::vector<std::size_t> min_width = {});
    // The opening: "[" (json), the header (csv; text when nothing is held).
    std::string begin();
    std::string finish();

protected:
    std::string add_row(std::string json_text, const std::vector<std::string>& cells);
    Format m_format;

private:
    Style m_style;
    std::vector<std::string> m_columns;
    bool m_hold;  // text rows are held to size the columns
    StreamTable m_table;
    bool m_first = true;
};

class StateListRenderer : public ListRenderer {
public:
    StateListRenderer(Format format, Style style, std::optional<Resolved> resolved = {});
    std::string add(const domain::SkuState& s);

private:
    std::optional<Resolved> m_resolved;
};

class EventListRenderer : public ListRenderer {
public:
    // with_state: history rows carry the state after each event, or none
    // (after is null) for an event inside a command: null in JSON, empty
    // cells in CSV, "-" in text. follow: the rows of a log followed as it
    // grows (events --follow, history --follow), each written as it comes:
    // text columns have fixed widths, wide enough for most values (a wider
    // cell pushes the rest of its row right), as no later row can size
    // them; json has no such form (the CLI refuses it).
    EventListRenderer(Format format, Style style, bool with_state, bool follow = false);
    std::string add(const domain::EventRecord& e, const domain::State* after = nullptr);

private:
    bool m_with_state;
};

// The error line for stderr: "invlog: message" or, with json/ndjson,
// {"error":{"code","message","exit_code"}}.
std::string render_error(const std::string& code, const std::string& message, int exit_code, Format format);

}  // namespace invlog::output
