// Starting and stopping the span recorder for one process (see telemetry.hpp).
#include "invlog/cli/telemetry.hpp"

#include <iostream>

#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/http/module.hpp"
#include "invlog/telemetry/config.hpp"

namespace invlog::cli {
namespace {

void say(bool verbose, const std::string& message) {
    if (verbose) std::cerr << "invlog: telemetry: " << domain::shown(message, 400) << "\n" << std::flush;
}

}  // namespace

TelemetrySession::TelemetrySession(bool verbose) {
    telemetry::Config config = telemetry::config_from_environment();
    for (const auto& problem : config.problems) say(verbose, problem);
    if (!config.enabled) return;
    telemetry::PostFunction post = nullptr;
    try {
        // Only now: a process without an endpoint never loads the module.
        post = http::http_module().post_otlp;
    } catch (const domain::Failure& f) {
        say(verbose, f.what());
        return;
    }
    telemetry::start(std::move(config), post, [verbose](const std::string& error) {
        say(verbose, error + " (further failures are not reported)");
    });
}

TelemetrySession::~TelemetrySession() { telemetry::shutdown(telemetry_exit_wait); }

}  // namespace invlog::cli
