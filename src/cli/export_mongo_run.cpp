// Performing `export mongo`: built into the MongoDB module (see
// invlog/export/mongo_module.hpp), since it drives libmongoc.
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "invlog/cli/context.hpp"
#include "invlog/cli/export_commands.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/progress.hpp"
#include "invlog/cli/stop_signal.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/export/mongo_export.hpp"

namespace invlog::cli {
namespace {

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

}  // namespace

void run_export_mongo(Context& ctx, const ExportMongoArgs& args) {
    exporter::MongoExportOptions options;
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
    const std::string collection =
        !args.collection.empty() ? args.collection : options.compat == exporter::Compat::seed ? "inventory" : "events";
    options.dry_run = args.dry_run;
    const exporter::MongoTarget target(
        mongo_uri(args.uri), args.database.empty() ? std::nullopt : std::optional(args.database),
        collection);

    // The position is written to the file, but a missing file must be
    // reported, not created empty; a dry run writes nothing.
    const bool writable = !options.dry_run && std::filesystem::exists(ctx.db_path());
    auto store = ctx.open_store(writable ? store::OpenMode::write : store::OpenMode::read);

    std::optional<StopOnSignal> stop;
    if (options.follow) stop.emplace();
    std::optional<Progress> progress;
    exporter::ExportHooks hooks;
    hooks.progress = [&](std::int64_t sent, std::int64_t total) {
        if (!progress) progress.emplace("export", total, ctx.progress());
        progress->update(sent);
    };
    hooks.warn = [&](const std::string& message) {
        if (progress) progress->finish();
        std::cerr << fmt::format("invlog: warning: {}\n", message);
    };
    if (stop) {
        hooks.wait = [&](std::chrono::milliseconds d) { return stop->sleep_for(d); };
        hooks.stop_requested = [&] { return stop->requested(); };
    }
    auto summary = exporter::export_to_mongo(*store, target, options, hooks);
    if (progress) progress->finish();
    if (!ctx.quiet())
        std::cerr << fmt::format("invlog: {}\n", exporter::summary_line(summary, target.shown(), options.dry_run));
}

}  // namespace invlog::cli
