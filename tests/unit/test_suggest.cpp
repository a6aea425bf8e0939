// nearest(): the "did you mean" of unknown subcommands.
#include <doctest/doctest.h>

#include "invlog/cli/run.hpp"

using invlog::cli::nearest;

TEST_SUITE("unit.suggest") {
    const std::vector<std::string_view> names = {"create",  "set-soh", "set-available", "reserve", "complete",
                                                 "release", "receive", "adjust",        "show",    "list",
                                                 "history", "events",  "apply"};

    TEST_CASE("typos find the intended name") {
        CHECK(nearest("resrve", names) == "reserve");
        CHECK(nearest("reserv", names) == "reserve");
        CHECK(nearest("lsit", names) == "list");
        CHECK(nearest("shwo", names) == "show");
        CHECK(nearest("set_soh", names) == "set-soh");
        CHECK(nearest("evnets", names) == "events");
        CHECK(nearest("adjsut", names) == "adjust");
    }

    TEST_CASE("a prefix finds the first name it starts") {
        CHECK(nearest("hist", names) == "history");
        CHECK(nearest("set-a", names) == "set-available");
        CHECK(nearest("app", names) == "apply");
    }

    TEST_CASE("nothing is suggested when nothing is close") {
        CHECK(nearest("xyzzy", names).empty());
        CHECK(nearest("inventory", names).empty());
        CHECK(nearest("", names).empty());
    }
}
