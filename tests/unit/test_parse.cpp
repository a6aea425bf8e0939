// Argument parsers and time: every accepted and refused form.
#include <doctest/doctest.h>

#include <functional>
#include <limits>

#include "invlog/cli/parse.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/util/time.hpp"

using namespace invlog;

namespace {

std::string usage_message(const std::function<void()>& f) {
    try {
        f();
    } catch (const domain::Failure& e) {
        CHECK(e.kind() == domain::ErrorKind::usage);
        return e.what();
    }
    FAIL("no usage error");
    return {};
}

}  // namespace

TEST_SUITE("unit.parse") {
    TEST_CASE("quantities are plain digits within 1..10^12") {
        CHECK(cli::parse_quantity("1", "QTY") == 1);
        CHECK(cli::parse_quantity("1000000000000", "QTY") == 1'000'000'000'000);
        CHECK(cli::parse_quantity("007", "QTY") == 7);
        CHECK(cli::parse_quantity("0", "N", true) == 0);
        for (const char* bad : {"0", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "", "1000000000001",
                                "99999999999999999999999", "abc", "１"}) {
            CAPTURE(bad);
            auto msg = usage_message([&] { cli::parse_quantity(bad, "QTY"); });
            CHECK(msg.find("invalid QTY") == 0);
        }
        CHECK(usage_message([] { cli::parse_quantity("1.5", "QTY"); }) ==
              "invalid QTY '1.5': expected a whole number from 1 to 1000000000000");
    }

    TEST_CASE("deltas carry an optional minus") {
        CHECK(cli::parse_delta("-5") == -5);
        CHECK(cli::parse_delta("5") == 5);
        CHECK(cli::parse_delta("-1000000000000") == -1'000'000'000'000);
        for (const char* bad :
             {"0", "-0", "+5", "--5", "-", "", "-1000000000001", "5-", "-1.5", "-9223372036854775808"}) {
            CAPTURE(bad);
            CHECK_THROWS_AS(cli::parse_delta(bad), domain::Failure);
        }
    }

    TEST_CASE("SKUs") {
        CHECK(cli::parse_sku("A-1_b.c:d/e") == "A-1_b.c:d/e");
        CHECK(cli::parse_sku(std::string(64, 'x')) == std::string(64, 'x'));
        for (std::string bad : {std::string(), std::string(65, 'x'), std::string("a b"), std::string("a;b"),
                                std::string("é"), std::string("a\nb"), std::string("'; DROP TABLE events; --")}) {
            CAPTURE(bad);
            CHECK_THROWS_AS(cli::parse_sku(bad), domain::Failure);
        }
        CHECK(usage_message([] { cli::parse_sku("a\x01"); }).find("\\x01") != std::string::npos);
    }

    TEST_CASE("counts") {
        CHECK(cli::parse_count("0", "--after", 0, 10) == 0);
        CHECK_THROWS_AS(cli::parse_count("11", "--after", 0, 10), domain::Failure);
        CHECK_THROWS_AS(cli::parse_count("0", "--limit", 1, 10), domain::Failure);
        CHECK_THROWS_AS(cli::parse_count("9223372036854775808", "--after", 0, INT64_MAX), domain::Failure);
        CHECK(cli::parse_count("9223372036854775807", "--after", 0, INT64_MAX) == INT64_MAX);
    }

    TEST_CASE("text values") {
        CHECK(cli::parse_text("cycle count ünïcode", "--reason", 100) == "cycle count ünïcode");
        CHECK_THROWS_AS(cli::parse_text("", "--reason", 100), domain::Failure);
        CHECK_THROWS_AS(cli::parse_text("a\tb", "--reason", 100), domain::Failure);
        CHECK_THROWS_AS(cli::parse_text("\xff\xfe", "--reason", 100), domain::Failure);
        CHECK_THROWS_AS(cli::parse_text("\xc3", "--reason", 100), domain::Failure);
        CHECK_THROWS_AS(cli::parse_text(std::string(101, 'a'), "--reason", 100), domain::Failure);
    }
}

TEST_SUITE("unit.time") {
    TEST_CASE("RFC 3339 and dates") {
        using util::parse_time;
        CHECK(parse_time("1970-01-01T00:00:00Z") == 0);
        CHECK(parse_time("1970-01-01T00:00:01.5Z") == 1500);
        CHECK(parse_time("1970-01-01T01:00:00+01:00") == 0);
        CHECK(parse_time("1969-12-31T23:00:00-01:00") == 0);
        CHECK(parse_time("1970-01-01") == 86'399'999);
        CHECK(parse_time("2024-02-29T12:00:00Z").has_value());
        for (const char* bad : {"2023-02-29", "2026-13-01", "2026-11-31", "2026-11-27T24:00:00Z", "2026-11-27T10:00:00",
                                "2026-11-27 10:00:00Z", "2026-11-27T10:00Z", "26-11-27", "2026-11-27T10:00:00.Z",
                                "2026-11-27T10:00:00+1:00", "yesterday", ""}) {
            CAPTURE(bad);
            CHECK_FALSE(parse_time(bad).has_value());
        }
    }

    TEST_CASE("relative times: now, today, yesterday and ages") {
        using util::parse_time_at;
        const util::Millis now = *util::parse_time("2026-12-01T10:30:00Z");
        CHECK(parse_time_at("now", now) == now);
        CHECK(parse_time_at("today", now) == util::parse_time("2026-12-01"));
        CHECK(parse_time_at("yesterday", now) == util::parse_time("2026-11-30"));
        CHECK(parse_time_at("2h", now) == util::parse_time("2026-12-01T08:30:00Z"));
        CHECK(parse_time_at("90m", now) == util::parse_time("2026-12-01T09:00:00Z"));
        CHECK(parse_time_at("30s", now) == util::parse_time("2026-12-01T10:29:30Z"));
        CHECK(parse_time_at("7d", now) == util::parse_time("2026-11-24T10:30:00Z"));
        CHECK(parse_time_at("2w", now) == util::parse_time("2026-11-17T10:30:00Z"));
        CHECK(parse_time_at("0d", now) == now);
        // A plain date keeps its meaning: the end of that day.
        CHECK(parse_time_at("2026-11-01", now) == util::parse_time("2026-11-01"));
        for (const char* bad :
             {"", "h", "2", "-2h", "2 h", "2y", "2H", "+2h", "2.5h", "12345678h", "tomorrow", "Today"})
            CHECK_FALSE(parse_time_at(bad, now).has_value());
        // An age that reaches before year 0000 cannot be written: refused
        // (found by fuzz_args: "2632063w").
        CHECK_FALSE(parse_time_at("2632063w", now).has_value());
        CHECK_FALSE(parse_time_at("9999999d", now).has_value());
        CHECK(parse_time_at("100000d", now).has_value());
        // Before the epoch, the day still ends at its last millisecond.
        CHECK(parse_time_at("yesterday", 0) == -1);
    }

    TEST_CASE("format round-trips") {
        for (std::int64_t ms : {0LL, 1LL, 999LL, 1'764'237'600'123LL, 951'782'400'000LL, -1LL}) {
            CAPTURE(ms);
            CHECK(util::parse_time(util::format_time(ms)) == ms);
        }
        CHECK(util::format_time(1'795'773'600'123) == "2026-11-27T10:00:00.123Z");
    }

    TEST_CASE("a formatter of many times writes what format_time writes") {
        // Within a second only the milliseconds change; across seconds, days,
        // the epoch and the years format_time writes with fmt, all of it.
        util::TimeFormatter time;
        const std::int64_t times[] = {1'795'773'600'123,
                                      1'795'773'600'124,
                                      1'795'773'600'999,
                                      1'795'773'601'000,
                                      1'795'773'600'001,
                                      86'399'999,
                                      86'400'000,
                                      0,
                                      -1,
                                      -999,
                                      -1000,
                                      -1001,
                                      253'402'300'799'999,
                                      253'402'300'800'000,
                                      253'402'300'800'001,
                                      -62'167'219'200'001,
                                      -62'167'219'200'000,
                                      std::numeric_limits<std::int64_t>::min(),
                                      std::numeric_limits<std::int64_t>::max(),
                                      5};
        for (std::int64_t ms : times) {
            CAPTURE(ms);
            CHECK(time(ms) == util::format_time(ms));
        }
    }
}
