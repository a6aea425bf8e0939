// Traces of a command-line process: when an OTLP endpoint is configured, the
// HTTP module's exporter is loaded and the recorder started; at the end the
// process waits at most 200 ms for its spans to go out.
#pragma once

#include <chrono>

namespace invlog::cli {

inline constexpr std::chrono::milliseconds telemetry_exit_wait{200};

class TelemetrySession {
public:
    // Starts the recorder when the environment asks for traces. Problems
    // (a malformed variable, a module that cannot be loaded, a collector
    // that cannot be reached) are one line on stderr with --verbose, and
    // nothing otherwise: telemetry never fails a command. `serve` says it
    // as an event of its JSON log ({"event":"telemetry_error",...}).
    TelemetrySession(bool verbose, bool json_log);
    ~TelemetrySession();
    TelemetrySession(const TelemetrySession&) = delete;
    TelemetrySession& operator=(const TelemetrySession&) = delete;
};

}  // namespace invlog::cli
