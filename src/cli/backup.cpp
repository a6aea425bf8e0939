// invlog backup FILE [--force]
#include <CLI/CLI.hpp>

#include "invlog/cli/subcommand.hpp"
#include "invlog/output/report.hpp"
#include "invlog/store/backup.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::cli {

Subcommand backup_subcommand() {
    return {"backup", Group::maintenance, "Copy the database safely while others keep writing to it",
            [](CLI::App& app) -> Perform {
                struct Args {
                    std::string target;
                    bool force = false;
                };
                auto args = std::make_shared<Args>();
                app.add_option("FILE", args->target, "Where to write the copy (refused if it exists, unless --force)")
                    ->required();
                app.add_flag("-f,--force", args->force, "Replace FILE if it exists");
                return [args](Context& ctx) {
                    auto store = ctx.open_file_store(store::OpenMode::read, "backup");
                    auto result = store::backup(*store, args->target, args->force);
                    if (ctx.quiet()) return;
                    output::Report report;
                    report.summary = {{"database", store->path()},
                                      {"backup", args->target},
                                      {"bytes", result.bytes},
                                      {"head_seq", result.head.seq},
                                      {"head_hash", output::text_or_null(
                                                        result.head.seq > 0 ? util::to_hex(result.head.hash) : "")}};
                    ctx.write(output::render_report(report, ctx.format(), ctx.style()));
                };
            }};
}

}  // namespace invlog::cli
