// Starting and stopping the span recorder for one process (see telemetry.hpp).
#include "invlog/cli/telemetry.hpp"

#include <iostream>

#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/http/access_log.hpp"
#include "invlog/http/module.hpp"
#include "invlog/telemetry/config.hpp"
#include "invlog/util/time.hpp"

namespace invlog::cli {
namespace {

void say(bool verbose, bool json_log, const std::string& message) {
    if (!verbose) return;
    if (json_log)
        http::log_line(http::event_line("telemetry_error", "message", message, util::now_ms()));
    else
        std::cerr << "invlog: telemetry: " << domain::shown(message, 400) << "\n" << std::flush;
}

}  // namespace

TelemetrySession::TelemetrySession(bool verbose, bool json_log) {
    telemetry::Config config = telemetry::config_from_environment();
    for (const auto& problem : config.problems) say(verbose, json_log, problem);
    if (!config.enabled) return;
    telemetry::PostFunction post = nullptr;
    telemetry::EncodeFunction protobuf = nullptr;
    try {
        // Only now: a process without an endpoint never loads the module.
        post = http::http_module().post_otlp;
        protobuf = http::http_module().otlp_protobuf;
    } catch (const domain::Failure& f) {
        say(verbose, json_log, f.what());
        return;
    }
    telemetry::start(std::move(config), post, protobuf, [verbose, json_log](const std::string& error) {
        say(verbose, json_log, error + " (further failures are not reported)");
    });
}

TelemetrySession::~TelemetrySession() { telemetry::shutdown(telemetry_exit_wait); }

}  // namespace invlog::cli
