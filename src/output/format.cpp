// Format names.
#include "invlog/output/format.hpp"

namespace invlog::output {

std::optional<Format> parse_format(std::string_view name) {
    if (name == "text") return Format::text;
    if (name == "json") return Format::json;
    if (name == "ndjson") return Format::ndjson;
    if (name == "csv") return Format::csv;
    return std::nullopt;
}

}  // namespace invlog::output
