// invlog export file [PATH|-] [--force] [--format extjson|ndjson] [--compat seed] [--sku SKU] [--after SEQ]
// PATH is positional, as backup's FILE: -o/--output means the output format
// everywhere, so it cannot also name this file.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "invlog/cli/export_commands.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/progress.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/export/atomic_file.hpp"
#include "invlog/export/file_export.hpp"
#include "invlog/store/destination.hpp"
#include "invlog/store/export_positions.hpp"

namespace invlog::cli {

Perform describe_export_file(CLI::App& app) {
    struct Args {
        std::string path = "-", format = "extjson", compat = "native", sku, after;
        bool force = false;
    };
    auto args = std::make_shared<Args>();
    app.add_option("PATH", args->path,
                   "Write to PATH, which appears only once complete (default: - for standard output)");
    app.add_flag("-f,--force", args->force, "Replace PATH if it exists (never a database or the files beside one)");
    app.add_option("--format", args->format,
                   "extjson: the MongoDB documents as Extended JSON v2 (relaxed), for mongoimport; "
                   "ndjson: invlog's event JSON (default extjson)")
        ->type_name("FORMAT");
    app.add_option("--compat", args->compat,
                   "seed: documents the reference service's replay reads (its seven event types, split where "
                   "needed); native: invlog's own events (default native)")
        ->type_name("MODE");
    app.add_option("--sku", args->sku, "Only the events of this SKU")->type_name("SKU");
    app.add_option("--after", args->after, "Only events with seq greater than SEQ")->type_name("SEQ");
    return [args](Context& ctx) {
        exporter::FileExportOptions options;
        auto format = exporter::parse_file_format(args->format);
        if (!format)
            throw domain::usage_error("invalid_argument",
                                      fmt::format("invalid --format '{}': expected extjson or ndjson",
                                                  domain::shown(args->format)));
        options.format = *format;
        options.compat = parse_compat_option(args->compat);
        if (!args->sku.empty()) options.sku = parse_sku(args->sku, "--sku");
        if (!args->after.empty()) options.after_seq = parse_count(args->after, "--after", 0, INT64_MAX);
        if (args->path.empty()) throw domain::usage_error("invalid_argument", "invalid PATH '': must not be empty");
        auto store = ctx.open_store(store::OpenMode::read);

        if (args->path == "-") {
            exporter::export_lines(*store, options, [&](std::string_view lines, std::int64_t) { ctx.write(lines); });
            return;
        }
        // Never over the database, the files beside it or another database;
        // an existing file only with --force. Exit 2, nothing changed.
        const store::DestinationRules rules{args->force, true, "exported"};
        store::check_destination(args->path, store->path(), rules);
        store::EventFilter filter;
        filter.sku = options.sku;
        filter.after_seq = options.after_seq;
        const std::int64_t progress_total = ctx.progress() ? store->count_events(filter) : 0;
        Progress progress("export", progress_total, ctx.progress());
        exporter::AtomicFile file(args->path, args->force);
        auto summary = exporter::export_lines(*store, options, [&](std::string_view lines, std::int64_t events) {
            file.write(lines);
            progress.update(std::min(events, progress_total));
        });
        store->check_unchanged();
        // Again, just before the move: the name may have changed meanwhile.
        store::check_destination(args->path, store->path(), rules);
        file.commit();
        progress.finish();
        if (!ctx.quiet()) {
            std::string range = summary.events ? fmt::format(" (seq {}..{})", summary.first_seq, summary.last_seq) : "";
            std::string as =
                options.compat == exporter::Compat::seed
                    ? fmt::format(" as {} seed document{}", summary.documents, summary.documents == 1 ? "" : "s")
                    : "";
            std::cerr << fmt::format("invlog: wrote {} event{}{}{} to {}\n", summary.events,
                                     summary.events == 1 ? "" : "s", as, range, domain::shown_path(args->path));
        }
    };
}

}  // namespace invlog::cli
