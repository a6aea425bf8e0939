// The diff renderer (invlog diff).
#include "invlog/output/diff.hpp"

#include <fmt/format.h>

#include "invlog/output/json.hpp"
#include "invlog/util/time.hpp"

namespace invlog::output {
namespace {

// The fields of a state that a diff compares, as list names them.
const std::vector<std::string> fields = {"soh", "available_quantity", "reserved", "version", "updated_at"};

std::vector<std::string> state_values(const domain::SkuState& s) {
    return {std::to_string(s.state.soh), std::to_string(s.state.available_quantity), std::to_string(s.state.reserved),
            std::to_string(s.state.version), util::format_time(s.updated_at)};
}

std::vector<std::string> diff_columns(Format format) {
    std::vector<std::string> cols = {"sku"};
    if (format == Format::text) {
        // updated_at is left out of text: the table is wide enough already.
        cols.insert(cols.end(), fields.begin(), fields.end() - 1);
        return cols;
    }
    for (const char* side : {"before_", "after_"})
        for (const auto& f : fields) cols.push_back(side + f);
    return cols;
}

}  // namespace

DiffRenderer::DiffRenderer(Format format, Style style)
    : ListRenderer(format, style, diff_columns(format), {false, true, true, true, true}) {}

std::string DiffRenderer::add(const app::DiffRow& row) {
    const auto& sku = row.after.sku;
    if (m_format == Format::json || m_format == Format::ndjson) {
        Json j;
        j["sku"] = sku;
        j["before"] = row.before ? state_json(*row.before) : Json(nullptr);
        j["after"] = state_json(row.after);
        return add_row(dump_line(j), {});
    }
    const auto after = state_values(row.after);
    const auto before = row.before ? state_values(*row.before) : std::vector<std::string>(fields.size());
    std::vector<std::string> cells = {sku};
    if (m_format == Format::text) {
        for (std::size_t i = 0; i + 1 < fields.size(); ++i)
            cells.push_back(fmt::format("{} -> {}", row.before ? before[i] : "-", after[i]));
    } else {
        cells.insert(cells.end(), before.begin(), before.end());
        cells.insert(cells.end(), after.begin(), after.end());
    }
    return add_row({}, cells);
}

}  // namespace invlog::output
