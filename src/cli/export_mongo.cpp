// invlog export mongo [--uri URI] [--database NAME] [--collection NAME] [--compat seed] [--batch N] [--sku SKU]
//                     [--from-start] [--follow [--interval SECONDS]] [--with-state] [--dry-run]
// The arguments become an exporter::MongoRun, which the MongoDB module
// performs; progress, warnings and the summary come back through hooks.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "invlog/cli/context.hpp"
#include "invlog/cli/export_commands.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/progress.hpp"
#include "invlog/cli/stop_signal.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/export/mongo_module.hpp"
#include "invlog/export/mongo_names.hpp"
#include "invlog/export/mongo_run.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::cli {
namespace {

struct ExportMongoArgs {
    // collection and state_collection: empty for the mode's defaults.
    std::string uri, database, collection, state_collection, batch, sku, interval, compat = "native";
    bool from_start = false, follow = false, with_state = false, dry_run = false;
};

// Seconds with up to three decimals, from 0.01 to one day.
std::chrono::milliseconds parse_interval(std::string_view text) {
    auto bad = [&] {
        return domain::usage_error("invalid_argument",
                                   fmt::format("invalid --interval '{}': expected seconds from 0.01 to 86400, "
                                               "such as 1 or 0.5",
                                               domain::shown(text)));
    };
    std::size_t dot = text.find('.');
    std::string_view whole = text.substr(0, dot);
    std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    if ((whole.empty() && fraction.empty()) || whole.size() > 5 || fraction.size() > 3 ||
        (dot != std::string_view::npos && fraction.empty()))
        throw bad();
    std::int64_t ms = 0;
    for (char c : whole) {
        if (c < '0' || c > '9') throw bad();
        ms = ms * 10 + (c - '0');
    }
    ms *= 1000;
    std::int64_t scale = 100;
    for (char c : fraction) {
        if (c < '0' || c > '9') throw bad();
        ms += (c - '0') * scale;
        scale /= 10;
    }
    if (ms < 10 || ms > 86'400'000) throw bad();
    return std::chrono::milliseconds(ms);
}

std::string mongo_uri(const std::string& option) {
    if (!option.empty()) return option;
    if (const char* env = std::getenv("INVLOG_MONGO_URI"); env && *env) return env;
    throw domain::usage_error("no_mongo_uri", "no MongoDB URI: pass --uri or set INVLOG_MONGO_URI");
}

exporter::MongoRun mongo_run(Context& ctx, const ExportMongoArgs& args) {
    exporter::MongoRun run;
    exporter::MongoExportOptions& options = run.options;
    if (!args.batch.empty()) options.batch = parse_count(args.batch, "--batch", 1, 100'000);
    if (!args.sku.empty()) options.sku = parse_sku(args.sku, "--sku");
    if (!args.interval.empty()) options.interval = parse_interval(args.interval);
    options.from_start = args.from_start;
    options.follow = args.follow;
    options.with_state = args.with_state;
    options.compat = parse_compat_option(args.compat);
    if (!args.state_collection.empty())
        options.state_collection = exporter::check_collection_name(args.state_collection, "--state-collection");
    // Seed mode writes where the reference service reads its events.
    run.collection = !args.collection.empty()                   ? args.collection
                     : options.compat == exporter::Compat::seed ? "inventory"
                                                                : "events";
    options.dry_run = args.dry_run;
    run.uri = mongo_uri(args.uri);
    if (!args.database.empty()) run.database = args.database;
    // The position is written to the file, but a missing file must be
    // reported, not created empty; a dry run writes nothing.
    run.open_store = [&ctx, dry_run = options.dry_run] {
        const bool writable = !dry_run && std::filesystem::exists(ctx.db_path());
        return ctx.open_store(writable ? store::OpenMode::write : store::OpenMode::read);
    };
    return run;
}

void export_mongo(Context& ctx, const ExportMongoArgs& args) {
    // The module first: without it, no argument matters.
    const exporter::MongoModule& module = exporter::mongo_module();
    const exporter::MongoRun run = mongo_run(ctx, args);

    std::optional<StopOnSignal> stop;
    if (run.options.follow) stop.emplace();
    std::optional<Progress> progress;
    exporter::MongoRunOutput output;
    output.hooks.progress = [&](std::int64_t sent, std::int64_t total) {
        if (!progress) progress.emplace("export", total, ctx.progress());
        progress->update(sent);
    };
    output.hooks.warn = [&](const std::string& message) {
        if (progress) progress->finish();
        std::cerr << fmt::format("invlog: warning: {}\n", message);
    };
    if (stop) {
        output.hooks.wait = [&](std::chrono::milliseconds d) { return stop->sleep_for(d); };
        output.hooks.stop_requested = [&] { return stop->requested(); };
    }
    output.summary = [&](const std::string& line) {
        if (progress) progress->finish();
        if (!ctx.quiet()) std::cerr << fmt::format("invlog: {}\n", line);
    };
    module.export_mongo(run, output);
}

}  // namespace

Perform describe_export_mongo(CLI::App& app) {
    auto args = std::make_shared<ExportMongoArgs>();
    app.add_option("--uri", args->uri,
                   "MongoDB connection string (default: $INVLOG_MONGO_URI, which keeps a password out of ps and "
                   "shell history)")
        ->type_name("URI");
    app.add_option("--database", args->database, "Database (default: the URI's database, else inventory)")
        ->type_name("NAME");
    app.add_option("--collection", args->collection,
                   "Collection of the events (default: events; inventory with --compat seed)")
        ->type_name("NAME");
    app.add_option("--state-collection", args->state_collection,
                   "Collection of the SKU states written by --with-state, never the events' (default: "
                   "inventory_state)")
        ->type_name("NAME");
    app.add_option("--compat", args->compat,
                   "seed: documents the reference service's replay reads (its seven event types, split where "
                   "needed); native: invlog's own events (default native). Recorded with the position")
        ->type_name("MODE");
    app.add_option("--batch", args->batch, "Events per bulk write, 1 to 100000 (default: 1000)")->type_name("N");
    app.add_option("--sku", args->sku, "Only the events of this SKU (with its own export position)")->type_name("SKU");
    app.add_flag("--from-start", args->from_start, "Export every event again, whatever the stored position");
    auto* follow = app.add_flag("--follow", args->follow,
                                "Keep running and ship new events as they are appended; stop on SIGINT or SIGTERM "
                                "after the batch in flight");
    app.add_option("--interval", args->interval, "With --follow: seconds between looks at the log (default: 1)")
        ->type_name("SECONDS")
        ->needs(follow);
    app.add_flag("--with-state", args->with_state,
                 "Also upsert the state of each exported SKU into the state collection");
    app.add_flag("--dry-run", args->dry_run, "Count what would be exported; contact no server, change nothing")
        ->excludes(follow);
    // The work needs the MongoDB driver, which lives in a module loaded now.
    return [args](Context& ctx) {
        // The log already is in MongoDB; its export positions would be kept
        // in the very deployment the export writes to.
        if (store::is_mongodb_uri(ctx.db_path()))
            throw domain::usage_error("file_only_command",
                                      "'invlog export mongo' exports a database file; --db names a MongoDB store");
        export_mongo(ctx, *args);
    };
}

}  // namespace invlog::cli
