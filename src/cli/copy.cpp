// invlog copy DEST [--batch N]: the whole log of --db into another store
// (app/copy.hpp), resumable after an interruption.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <csignal>
#include <cstdlib>
#include <optional>

#include "invlog/app/copy.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/progress.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/warning.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/http/remote.hpp"
#include "invlog/output/report.hpp"
#include "invlog/store/destination.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::cli {

namespace {

// MongoDB transactions stay small (a batch is one); a file takes large ones.
constexpr std::int64_t file_batch = 10'000;
constexpr std::int64_t mongodb_batch = 500;

// Test hook: INVLOG_TEST_COPY_KILL_AFTER_BATCHES=N makes the process kill
// itself (SIGKILL, as kill -9 does) once N batches are committed, so that the
// tests interrupt a copy at a known point. Unset, nothing happens.
std::optional<std::int64_t> kill_after_batches() {
    const char* v = std::getenv("INVLOG_TEST_COPY_KILL_AFTER_BATCHES");
    if (!v || !*v) return std::nullopt;
    return parse_count(v, "INVLOG_TEST_COPY_KILL_AFTER_BATCHES", 1, 1'000'000'000);
}

void check_locations(const Context& ctx, const std::string& dest) {
    if (http::is_url(dest))
        throw domain::usage_error("copy_destination_remote",
                                  fmt::format("copy writes to a store directly, and DEST names a server ({}); give "
                                              "a file path or a mongodb:// URI",
                                              domain::shown(dest)));
    const bool dest_mongo = store::is_mongodb_uri(dest);
    const bool source_mongo = store::is_mongodb_uri(ctx.db_path());
    if (dest_mongo || source_mongo) {
        if (dest == ctx.db_path())
            throw domain::usage_error("target_is_source",
                                      fmt::format("{} is the store being copied; name another", domain::shown(dest)));
        return;
    }
    store::check_destination(dest, ctx.db_path(), store::DestinationRules{true, false, "copied"});
}

}  // namespace

Subcommand copy_subcommand() {
    return {"copy", Group::maintenance,
            "Copy the whole log, its settings and idempotency keys into another store (resumable)",
            [](CLI::App& app) -> Perform {
                struct Args {
                    std::string dest;
                    std::string batch;
                };
                auto args = std::make_shared<Args>();
                app.add_option("DEST", args->dest,
                               "The store to copy into: a file or a mongodb:// URI, empty or holding an "
                               "interrupted copy of this log")
                    ->required();
                app.add_option("--batch", args->batch,
                               "Events per transaction on DEST, 1 to 1000000 (default: 10000 for a file, 500 for "
                               "MongoDB)")
                    ->type_name("N");
                return [args](Context& ctx) {
                    ctx.refuse_remote("copy");
                    const std::string dest = parse_db_location(args->dest, "DEST");
                    check_locations(ctx, dest);
                    app::CopyOptions options;
                    options.batch = !args->batch.empty()          ? parse_count(args->batch, "--batch", 1, 1'000'000)
                                    : store::is_mongodb_uri(dest) ? mongodb_batch
                                                                  : file_batch;
                    auto source = ctx.open_store(store::OpenMode::read);
                    auto target = store::open_store(
                        store::OpenOptions{dest, store::OpenMode::write, ctx.lock_timeout_ms(), false});
                    target->on_warning([format = ctx.format()](std::string_view code, const std::string& message) {
                        print_warning(code, message, format);
                    });

                    std::optional<Progress> progress;
                    options.progress = [&](std::int64_t done, std::int64_t total) {
                        if (!progress) progress.emplace("copy", total, ctx.progress());
                        progress->update(done);
                    };
                    if (auto stop = kill_after_batches())
                        options.after_batch = [stop = *stop](std::int64_t batches, std::int64_t) {
                            if (batches >= stop) std::raise(SIGKILL);
                        };
                    auto result = app::copy(*source, *target, options);
                    progress.reset();
                    if (ctx.quiet()) return;
                    output::Report report;
                    report.summary = {{"database", source->path()},
                                      {"destination", target->path()},
                                      {"events_copied", result.events_copied},
                                      {"resumed_from_seq", result.resumed_from},
                                      {"settings", result.settings},
                                      {"idempotency_keys", result.idempotency_keys},
                                      {"skus", result.skus},
                                      {"snapshots", result.snapshots},
                                      {"head_seq", result.head.seq},
                                      {"head_hash", output::text_or_null(
                                                        result.head.seq > 0 ? util::to_hex(result.head.hash) : "")}};
                    ctx.write(output::render_report(report, ctx.format(), ctx.style()));
                };
            }};
}

}  // namespace invlog::cli
