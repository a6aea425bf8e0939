// Progress lines: the percentage and the estimate of the time left, as pure
// functions of the counts and the time elapsed.
#include <doctest/doctest.h>

#include "invlog/cli/progress.hpp"

using namespace invlog;
using namespace std::chrono_literals;

TEST_SUITE("unit.progress") {
    TEST_CASE("without a total: the count alone, never a percentage or an estimate") {
        CHECK(cli::progress_text("apply", 120, 0, 5s, "lines") == "apply: 120 lines");
        CHECK(cli::progress_text("apply", 0, 0, 0ms) == "apply: 0");
    }

    TEST_CASE("with a total: done/total, the percentage, and the time left at the pace so far") {
        // A quarter in 10 s: three quarters left at that pace take 30 s.
        CHECK(cli::progress_text("verify", 1250, 5000, 10s) == "verify: 1250/5000 (25%), about 30s left");
        // Two thirds in 1 s: 0.5 s left, shown as 1 s (rounded up).
        CHECK(cli::progress_text("verify", 2, 3, 1s) == "verify: 2/3 (66%), about 1s left");
        // Half in 2 min: 2 min left.
        CHECK(cli::progress_text("export", 50, 100, 120s) == "export: 50/100 (50%), about 2m00s left");
        // 1% in 1 h: 99 h left.
        CHECK(cli::progress_text("rebuild", 1, 100, 3600s) == "rebuild: 1/100 (1%), about 99h00m left");
        CHECK(cli::progress_text("apply", 300, 1200, 4s, "line 7") == "apply: 300/1200 (25%) line 7, about 12s left");
    }

    TEST_CASE("whole percents, rounded down") {
        CHECK(cli::progress_text("verify", 29, 100, 0ms) == "verify: 29/100 (29%)");
        CHECK(cli::progress_text("verify", 57, 100, 0ms) == "verify: 57/100 (57%)");
        CHECK(cli::progress_text("verify", 999, 1000, 0ms) == "verify: 999/1000 (99%)");
    }

    TEST_CASE("no estimate before a second has passed, before anything is done, or once all is done") {
        CHECK(cli::progress_text("verify", 10, 100, 999ms) == "verify: 10/100 (10%)");
        CHECK(cli::progress_text("verify", 0, 100, 60s) == "verify: 0/100 (0%)");
        CHECK(cli::progress_text("verify", 100, 100, 60s) == "verify: 100/100 (100%)");
    }

    TEST_CASE("counts past the total are clamped; huge counts do not overflow") {
        CHECK(cli::progress_text("export", 150, 100, 5s) == "export: 100/100 (100%)");
        const std::int64_t big = INT64_MAX / 2;
        CHECK(cli::progress_text("verify", big, INT64_MAX, 10s).starts_with("verify: " + std::to_string(big) + "/"));
        CHECK(cli::progress_text("verify", big, INT64_MAX, 10s).find("(50%)") != std::string::npos);
    }

    TEST_CASE("durations: seconds, then minutes and seconds, then hours and minutes") {
        CHECK(cli::duration_text(0s) == "0s");
        CHECK(cli::duration_text(59s) == "59s");
        CHECK(cli::duration_text(60s) == "1m00s");
        CHECK(cli::duration_text(3599s) == "59m59s");
        CHECK(cli::duration_text(3600s) == "1h00m");
        CHECK(cli::duration_text(7620s) == "2h07m");
    }
}
