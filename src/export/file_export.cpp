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

namespace {

// Seed documents need the SKU's earlier events when the filter starts past
// them, which the sequencer reads from the store: so the events are read in
// batches, and translated between two reads.
constexpr std::int64_t seed_batch = 1000;

FileSummary export_seed_lines(store::EventStore& store, const FileExportOptions& options,
                              const std::function<void(std::string_view)>& write) {
    store::EventFilter filter;
    filter.sku = options.sku;
    filter.after_seq = options.after_seq;
    filter.limit = seed_batch;
    // The log as it is when the export starts, so that it ends.
    filter.max_seq = store.head().seq;
    const MongoModule* mongo = options.format == FileFormat::extjson ? &mongo_module() : nullptr;
    SeedSequencer sequencer(store);
    FileSummary summary;
    std::string line;
    for (;;) {
        std::vector<domain::EventRecord> batch;
        store.for_each_event(filter, [&](const domain::EventRecord& e) {
            batch.push_back(e);
            return true;
        });
        if (batch.empty()) break;
        auto translation = sequencer.translate(batch);
        for (const auto& d : translation.documents) {
            line = mongo ? mongo->seed_extjson_line(d) : seed_json_line(d);
            line += '\n';
            write(line);
            summary.documents += 1;
        }
        sequencer.commit(std::move(translation));
        if (summary.events == 0) summary.first_seq = batch.front().seq;
        summary.last_seq = batch.back().seq;
        summary.events += static_cast<std::int64_t>(batch.size());
        filter.after_seq = batch.back().seq;
    }
    return summary;
}

}  // namespace

FileSummary export_lines(store::EventStore& store, const FileExportOptions& options,
                         const std::function<void(std::string_view)>& write) {
    if (options.compat == Compat::seed) return export_seed_lines(store, options, write);
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
        summary.documents += 1;
        if (summary.events++ == 0) summary.first_seq = e.seq;
        summary.last_seq = e.seq;
        return true;
    });
    span.set_int("invlog.export.events", summary.events);
    return summary;
}

}  // namespace invlog::exporter
