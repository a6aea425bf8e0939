// Output formats and presentation settings shared by the renderers.
#pragma once

#include <optional>
#include <string_view>

namespace invlog::output {

enum class Format { text, json, ndjson, csv };

std::optional<Format> parse_format(std::string_view name);

struct Style {
    bool color = false;   // ANSI colour in text output
    bool pretty = false;  // single JSON objects indented (standard output is a terminal)
    bool header = true;   // the header row of CSV and text tables (--no-header turns it off)
};

}  // namespace invlog::output
