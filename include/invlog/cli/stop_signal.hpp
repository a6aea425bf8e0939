// A clean stop on SIGINT and SIGTERM for long-running subcommands (export
// --follow): the first signal asks the work to stop at its next safe point,
// a second one ends the process at once.
#pragma once

#include <chrono>

namespace invlog::cli {

class StopOnSignal {
public:
    StopOnSignal();
    ~StopOnSignal();
    StopOnSignal(const StopOnSignal&) = delete;
    StopOnSignal& operator=(const StopOnSignal&) = delete;

    bool requested() const;
    // Sleeps for up to `duration`; false when a stop was requested.
    bool sleep_for(std::chrono::milliseconds duration) const;
};

}  // namespace invlog::cli
