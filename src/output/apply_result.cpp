// Rendering of apply results.
#include "invlog/output/apply_result.hpp"

#include <iterator>
#include <utility>

#include <fmt/format.h>

#include "invlog/output/json.hpp"
#include "invlog/util/time.hpp"

namespace invlog::output {
namespace {

const std::vector<std::string> columns = {"line",     "ok",      "sku",        "soh",      "available_quantity",
                                          "reserved", "version", "updated_at", "replayed", "notes",
                                          "code",     "message", "exit_code"};

}  // namespace

ApplyResultRenderer::ApplyResultRenderer(Format format)
    : ListRenderer(format == Format::text ? Format::ndjson : format, Style{}, columns, {}) {}

std::string ApplyResultRenderer::add_ok(std::int64_t line, const domain::SkuState& s,
                                        const std::vector<std::string>& notes, bool replayed) {
    if (m_format == Format::csv) {
        std::string joined;
        for (const auto& n : notes) joined += (joined.empty() ? "" : "; ") + n;
        return add_row({}, {std::to_string(line), "true", s.sku, std::to_string(s.state.soh),
                            std::to_string(s.state.available_quantity), std::to_string(s.state.reserved),
                            std::to_string(s.state.version), util::format_time(s.updated_at),
                            replayed ? "true" : "false", joined, "", "", ""});
    }
    // Written directly, not through a JSON document (the same bytes as
    // dump_line of {"line","ok","state","replayed","notes"}): an import
    // prints one per line, and building each as a document was a seventh of
    // apply's time.
    std::string text;
    fmt::format_to(std::back_inserter(text), "{{\"line\":{},\"ok\":true,\"state\":", line);
    append_state_json(text, s);
    if (replayed) text += ",\"replayed\":true";
    if (!notes.empty()) {
        text += ",\"notes\":[";
        for (std::size_t i = 0; i < notes.size(); ++i) {
            if (i > 0) text += ',';
            append_json_string(text, notes[i]);
        }
        text += ']';
    }
    text += '}';
    return add_row(std::move(text), {});
}

std::string ApplyResultRenderer::add_error(std::int64_t line, const std::string& code, const std::string& message,
                                           int exit_code) {
    if (m_format == Format::csv)
        return add_row({}, {std::to_string(line), "false", "", "", "", "", "", "", "", "", code, message,
                            std::to_string(exit_code)});
    Json j;
    j["line"] = line;
    j["ok"] = false;
    j["error"] = error_json(code, message, exit_code);
    return add_row(dump_line(j), {});
}

}  // namespace invlog::output
