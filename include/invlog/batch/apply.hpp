// Runs a batch of command lines (invlog apply): each line on its own
// transaction, or all of them in one (atomic). Results are handed to a sink
// in input order; rendering them is the caller's business.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>

#include "invlog/app/service.hpp"
#include "invlog/batch/line_reader.hpp"
#include "invlog/batch/parse_line.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::batch {

struct Options {
    // One write transaction for the whole batch: the first failed line rolls
    // everything back and ends the batch. The input is read and checked to
    // its end (held in a Spool) before the transaction starts, so that
    // waiting for input never holds the write lock.
    bool atomic = false;
    // Without atomic: stop after the first failed line (earlier lines stay).
    bool stop_on_error = false;
    Defaults defaults;
    app::Clock clock;
};

struct LineError {
    domain::ErrorKind kind = domain::ErrorKind::usage;
    std::string code;
    std::string message;
};

struct LineResult {
    std::int64_t line = 0;
    std::variant<app::Outcome, LineError> result;
};

struct Summary {
    std::int64_t lines = 0;  // command lines; blank lines are skipped
    std::int64_t failed = 0;
    bool committed = false;  // atomic only: the whole batch was committed
};

using ResultSink = std::function<void(const LineResult&)>;

// Reads every line and runs it. With atomic, the sink sees the successful
// lines before the commit (hold them back until this returns with committed
// set) and then, on failure, the failed line: the first line that is
// refused or malformed, as if the lines ran as they were read. Throws
// domain::Failure only for what is not a line's fault (the commit itself,
// reading the input, holding it in a temporary file).
Summary apply(store::EventStore& store, LineReader& reader, const Options& options, const ResultSink& sink);

}  // namespace invlog::batch
