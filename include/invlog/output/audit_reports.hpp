// The reports of `verify` and `stats` as every adapter shows them (the
// command line in any format, the HTTP routes as JSON): built once here so
// that the two cannot drift apart.
#pragma once

#include <string>

#include "invlog/app/upkeep.hpp"
#include "invlog/app/verify.hpp"
#include "invlog/output/report.hpp"

namespace invlog::output {

Report verify_report(const std::string& path, const app::VerifyReport& report);
Report stats_report(const app::Stats& stats);

}  // namespace invlog::output
