// The batch loop. Non-atomic batches run each line through app::execute as it
// is read, so each line is durable on its own; atomic batches read and check
// the whole input first and only then hold one write transaction, where the
// store remembers the states it appended, so that no line replays a SKU's
// history again.
#include "invlog/batch/apply.hpp"

#include <optional>

#include <fmt/format.h>

#include "invlog/batch/staged_input.hpp"
#include "invlog/telemetry/span.hpp"

namespace invlog::batch {
namespace {

bool blank(std::string_view text) { return text.find_first_not_of(" \t\r") == std::string_view::npos; }

LineError too_long() {
    return LineError{domain::ErrorKind::usage, "line_too_long",
                     fmt::format("line is longer than {} bytes (1 MiB); skipped", max_line_bytes)};
}

LineResult failure(std::int64_t line, const domain::Failure& f) {
    return LineResult{line, LineError{f.kind(), f.code(), f.what()}};
}

// A line's request, or the result of a line too long or malformed.
std::variant<app::Request, LineResult> parse(const Line& line, const Defaults& defaults) {
    if (line.too_long) return LineResult{line.number, too_long()};
    try {
        return parse_line(line.text, defaults);
    } catch (const domain::Failure& f) {
        return failure(line.number, f);
    }
}

// Runs one request and hands its result to the sink; false when it failed.
bool run(store::EventStore& store, std::int64_t line, const app::Request& request, const Options& options,
         const ResultSink& sink) {
    LineResult result{line, LineError{}};
    try {
        result.result = options.atomic ? app::execute_in_transaction(store, request, options.clock())
                                       : app::execute(store, request, options.clock);
    } catch (const domain::Failure& f) {
        result = failure(line, f);
    }
    sink(result);
    return std::holds_alternative<app::Outcome>(result.result);
}

// The input of an atomic batch is read and parsed to its end (or to its first
// malformed line, where running the lines as they come would stop too)
// before the write lock is taken: a slow pipe or a person typing must not
// block every other writer and exporter.
Summary apply_atomic(store::EventStore& store, LineReader& input, const Options& options, const ResultSink& sink) {
    StagedInput staged;
    std::optional<LineResult> malformed;
    while (auto line = input.next()) {
        if (!line->too_long && blank(line->text)) continue;
        auto request = parse(*line, options.defaults);
        if (auto* bad = std::get_if<LineResult>(&request)) {
            malformed = std::move(*bad);
            break;
        }
        staged.add(line->number, std::get<app::Request>(request));
    }

    Summary summary;
    store::EventStore::Transaction tx(store, true);
    staged.for_each([&](std::int64_t line, app::Request&& request) {
        ++summary.lines;
        if (run(store, line, request, options, sink)) return true;
        ++summary.failed;
        return false;
    });
    if (summary.failed > 0) return summary;  // the transaction rolls back here
    if (malformed) {
        // Every line before it ran: the batch fails at it, as it would have
        // when it was reached, and rolls back.
        ++summary.lines;
        ++summary.failed;
        sink(*malformed);
        return summary;
    }
    // The one commit of the batch, under the command's span beside the
    // lines' load, decide and append (a line of a batch that is not atomic
    // commits in app::execute, with its own span).
    telemetry::Span commit_span("commit");
    commit_span.set_int("invlog.batch.lines", summary.lines);
    tx.commit();
    summary.committed = true;
    return summary;
}

}  // namespace

Summary apply(store::EventStore& store, LineReader& reader, const Options& options, const ResultSink& sink) {
    if (options.atomic) return apply_atomic(store, reader, options, sink);
    Summary summary;
    while (auto line = reader.next()) {
        if (!line->too_long && blank(line->text)) continue;
        ++summary.lines;
        auto request = parse(*line, options.defaults);
        bool ok = false;
        if (auto* bad = std::get_if<LineResult>(&request))
            sink(*bad);
        else
            ok = run(store, line->number, std::get<app::Request>(request), options, sink);
        if (!ok) {
            ++summary.failed;
            if (options.stop_on_error) return summary;
        }
    }
    return summary;
}

}  // namespace invlog::batch
