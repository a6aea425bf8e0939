// invlog export file [--format extjson|ndjson] [--output FILE] [--sku SKU] [--after SEQ]
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "invlog/cli/export_commands.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/progress.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/export/atomic_file.hpp"
#include "invlog/export/file_export.hpp"
#include "invlog/store/export_positions.hpp"

namespace invlog::cli {

Perform describe_export_file(CLI::App& app) {
    struct Args {
        std::string format = "extjson", output, sku, after;
    };
    auto args = std::make_shared<Args>();
    app.add_option("--format", args->format,
                   "extjson: the MongoDB documents as Extended JSON v2 (relaxed), for mongoimport; "
                   "ndjson: invlog's event JSON (default extjson)")
        ->type_name("FORMAT");
    app.add_option("--output", args->output,
                   "Write to FILE, replaced only once complete (default: standard output)")
        ->type_name("FILE");
    app.add_option("--sku", args->sku, "Only the events of this SKU")->type_name("SKU");
    app.add_option("--after", args->after, "Only events with seq greater than SEQ")->type_name("SEQ");
    return [args](Context& ctx) {
        exporter::FileExportOptions options;
        auto format = exporter::parse_file_format(args->format);
        if (!format)
            throw domain::usage_error("invalid_argument",
                                      fmt::format("invalid --format '{}': expected extjson or ndjson", args->format));
        options.format = *format;
        if (!args->sku.empty()) options.sku = parse_sku(args->sku, "--sku");
        if (!args->after.empty()) options.after_seq = parse_count(args->after, "--after", 0, INT64_MAX);
        auto store = ctx.open_store(store::OpenMode::read);

        if (args->output.empty() || args->output == "-") {
            exporter::export_lines(*store, options, [&](std::string_view line) { ctx.write(line); });
            return;
        }
        store::EventFilter filter;
        filter.sku = options.sku;
        filter.after_seq = options.after_seq;
        Progress progress("export", ctx.progress() ? store::count_events(*store, filter) : 0, ctx.progress());
        std::int64_t written = 0;
        exporter::AtomicFile file(args->output);
        auto summary = exporter::export_lines(*store, options, [&](std::string_view line) {
            file.write(line);
            progress.update(++written);
        });
        file.commit();
        progress.finish();
        if (!ctx.quiet()) {
            std::string range = summary.events ? fmt::format(" (seq {}..{})", summary.first_seq, summary.last_seq) : "";
            std::cerr << fmt::format("invlog: wrote {} event{}{} to {}\n", summary.events,
                                     summary.events == 1 ? "" : "s", range, args->output);
        }
    };
}

}  // namespace invlog::cli
