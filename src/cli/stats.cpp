// invlog stats
#include <CLI/CLI.hpp>

#include "invlog/app/upkeep.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/output/report.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::cli {

Subcommand stats_subcommand() {
    return {"stats", Group::audit, "Show the size and shape of the database", [](CLI::App&) -> Perform {
                return [](Context& ctx) {
                    const app::Stats s = ctx.inventory(store::OpenMode::read)->stats();
                    output::Report report;
                    report.summary = {
                        {"database", s.path},
                        {"file_size_bytes", s.file_bytes},
                        {"schema_version", s.schema_version},
                        {"events", s.counts.events},
                        {"skus", s.counts.skus},
                        {"first_recorded_at", output::time_value(s.counts.first_recorded_at)},
                        {"last_recorded_at", output::time_value(s.counts.last_recorded_at)},
                        {"head_seq", s.head.seq},
                        {"head_hash", output::text_or_null(s.head.seq > 0 ? util::to_hex(s.head.hash) : "")},
                        {"snapshot_every", s.snapshot_every},
                        {"snapshots", s.counts.snapshots},
                        {"idempotency_keys", s.counts.idempotency_keys},
                    };
                    ctx.write(output::render_report(report, ctx.format(), ctx.style()));
                };
            }};
}

}  // namespace invlog::cli
