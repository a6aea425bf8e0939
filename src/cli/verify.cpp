// invlog verify [--expect-head HASH] [--expect HASH@SEQ]...
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <optional>

#include "invlog/app/verify.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/progress.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/output/audit_reports.hpp"

namespace invlog::cli {

Subcommand verify_subcommand() {
    return {"verify", Group::audit, "Prove the log intact: hash chain, replay, read model, snapshots (exit 6 if not)",
            [](CLI::App& app) -> Perform {
                struct Args {
                    std::string expect_head;
                    std::vector<std::string> expect;
                };
                auto args = std::make_shared<Args>();
                app.add_option("--expect-head", args->expect_head,
                               "Also require the last event to have this hash (nothing appended or rewritten since)")
                    ->type_name("HASH");
                app.add_option("--expect", args->expect,
                               "Also require the event at SEQ to have this hash: nothing up to SEQ was rewritten "
                               "(repeatable)")
                    ->type_name("HASH@SEQ");
                return [args](Context& ctx) {
                    app::VerifyOptions options;
                    if (!args->expect_head.empty())
                        options.expect_head = parse_hash(args->expect_head, "--expect-head");
                    for (const auto& e : args->expect) {
                        auto [hash, seq] = parse_hash_at_seq(e, "--expect");
                        options.expect.push_back(app::Expectation{seq, hash});
                    }
                    auto inventory = ctx.inventory(store::OpenMode::read);
                    std::optional<Progress> progress;
                    options.progress = [&](std::int64_t done, std::int64_t total) {
                        if (!progress) progress.emplace("verify", total, ctx.progress());
                        progress->update(done);
                    };
                    const app::VerifyReport report = inventory->verify(options);
                    progress.reset();
                    ctx.write(output::render_report(output::verify_report(inventory->location(), report), ctx.format(),
                                                    ctx.style()));
                    if (!report.ok()) {
                        const auto& first = report.problems.front();
                        throw domain::Failure(domain::ErrorKind::integrity, "verify_failed",
                                              fmt::format("{} does not verify: {} problem{}; the first: {}",
                                                          inventory->location(), report.problems.size(),
                                                          report.problems.size() == 1 ? "" : "s", first.message));
                    }
                };
            }};
}

}  // namespace invlog::cli
