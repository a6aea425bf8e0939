// The batch loop. Non-atomic batches run each line through app::execute, so
// each line is durable on its own; atomic batches hold one write transaction
// where the store remembers the states it appended, so that no line
// replays a SKU's history again.
#include "invlog/batch/apply.hpp"

#include <optional>

#include <fmt/format.h>


namespace invlog::batch {
namespace {

bool blank(std::string_view text) { return text.find_first_not_of(" \t\r") == std::string_view::npos; }

LineError too_long() {
    return LineError{domain::ErrorKind::usage, "line_too_long",
                     fmt::format("line is longer than {} bytes (1 MiB); skipped", max_line_bytes)};
}

}  // namespace

Summary apply(store::EventStore& store, LineReader& reader, const Options& options, const ResultSink& sink) {
    Summary summary;
    std::optional<store::EventStore::Transaction> tx;
    if (options.atomic) tx.emplace(store, true);

    while (auto line = reader.next()) {
        if (!line->too_long && blank(line->text)) continue;
        ++summary.lines;
        LineResult result{line->number, too_long()};
        if (!line->too_long) {
            try {
                app::Request request = parse_line(line->text, options.defaults);
                result.result = options.atomic ? app::execute_in_transaction(store, request, options.clock())
                                               : app::execute(store, request, options.clock);
            } catch (const domain::Failure& f) {
                result.result = LineError{f.kind(), f.code(), f.what()};
            }
        }
        const bool failed = std::holds_alternative<LineError>(result.result);
        sink(result);
        if (failed) {
            ++summary.failed;
            if (options.atomic || options.stop_on_error) return summary;  // an atomic batch rolls back here
        }
    }
    if (tx) tx->commit();
    summary.committed = options.atomic;
    return summary;
}

}  // namespace invlog::batch
