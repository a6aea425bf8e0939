// Rendering events as export lines.
#include "invlog/export/file_export.hpp"

#include "invlog/export/document.hpp"
#include "invlog/output/json.hpp"

namespace invlog::exporter {

std::optional<FileFormat> parse_file_format(std::string_view name) {
    if (name == "extjson") return FileFormat::extjson;
    if (name == "ndjson") return FileFormat::ndjson;
    return std::nullopt;
}

FileSummary export_lines(store::EventStore& store, const FileExportOptions& options,
                         const std::function<void(std::string_view)>& write) {
    store::EventFilter filter;
    filter.sku = options.sku;
    filter.after_seq = options.after_seq;
    FileSummary summary;
    std::string line;
    store.for_each_event(filter, [&](const domain::EventRecord& e) {
        line = options.format == FileFormat::extjson ? relaxed_extjson(*event_document(e))
                                                     : output::event_json(e);
        line += '\n';
        write(line);
        if (summary.events++ == 0) summary.first_seq = e.seq;
        summary.last_seq = e.seq;
        return true;
    });
    return summary;
}

}  // namespace invlog::exporter
