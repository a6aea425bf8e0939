// Rendering events as export lines.
#include "invlog/export/file_export.hpp"

#include "invlog/export/mongo_module.hpp"
#include "invlog/output/json.hpp"
#include "invlog/telemetry/span.hpp"

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
    // A file is written in one pass: one batch.
    telemetry::Span span("export_batch");
    span.set_string("invlog.export.destination", "file");
    std::string line;
    // Extended JSON comes from libbson, in the MongoDB module.
    const MongoModule* mongo = options.format == FileFormat::extjson ? &mongo_module() : nullptr;
    store.for_each_event(filter, [&](const domain::EventRecord& e) {
        line = mongo ? mongo->extjson_line(e) : output::event_json(e);
        line += '\n';
        write(line);
        if (summary.events++ == 0) summary.first_seq = e.seq;
        summary.last_seq = e.seq;
        return true;
    });
    span.set_int("invlog.export.events", summary.events);
    return summary;
}

}  // namespace invlog::exporter
