// The rows of events --follow and history --follow, written as they come.
// ndjson and csv are the lines of the list renderers (the csv header once);
// text has fixed column widths, since a followed table never ends and cannot
// be aligned on its rows (a longer cell pushes the rest of its line right).
// json has no stream form: the CLI refuses it with --follow.
#pragma once

#include <string>

#include "invlog/domain/record.hpp"
#include "invlog/output/format.hpp"
#include "invlog/output/render.hpp"

namespace invlog::output {

class EventStreamRenderer {
public:
    EventStreamRenderer(Format format, Style style, bool with_state);
    // The header (csv, text), once.
    std::string begin();
    std::string add(const domain::EventRecord& e, const domain::State* after = nullptr);

private:
    Format m_format;
    Style m_style;
    bool m_with_state;
    EventListRenderer m_list;
};

}  // namespace invlog::output
