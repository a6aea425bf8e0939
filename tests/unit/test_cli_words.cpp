// Where the words of a command line begin (cli::first_word), found with the
// root's own option table: the subcommand it names is the only one the
// command line describes to CLI11, so it must agree with CLI11's parse.
#include <CLI/CLI.hpp>
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "invlog/cli/help.hpp"

using invlog::cli::first_word;
using invlog::cli::help_request;

namespace {

struct Line {
    std::vector<std::string> args;
    std::vector<char*> argv;
    explicit Line(std::vector<std::string> words) : args(std::move(words)) {
        args.insert(args.begin(), "invlog");
        for (auto& a : args) argv.push_back(a.data());
    }
    int argc() const { return static_cast<int>(argv.size()); }
};

CLI::App& root() {
    static std::string db, output;
    static bool quiet = false, verbose = false;
    static CLI::App app("test", "invlog");
    static const bool described = [] {
        app.add_option("--db", db);
        app.add_option("-o,--output", output);
        app.add_flag("-q,--quiet", quiet);
        app.add_flag("-v,--verbose", verbose);
        return true;
    }();
    (void)described;
    return app;
}

std::optional<int> word(std::vector<std::string> words) {
    Line line(std::move(words));
    return first_word(root(), line.argc(), line.argv.data());
}

}  // namespace

TEST_SUITE("unit.cli") {
    TEST_CASE("the first word follows the global options and their values") {
        CHECK(word({"show", "A"}) == 1);
        CHECK(word({"--db", "show", "list"}) == 3);  // "show" is the value of --db
        CHECK(word({"--db=x.db", "show"}) == 2);
        CHECK(word({"-o", "json", "show"}) == 3);
        CHECK(word({"-ojson", "show"}) == 2);
        CHECK(word({"-qv", "show"}) == 2);
        CHECK(word({"-qo", "json", "show"}) == 3);
        CHECK(word({"--quiet", "show"}) == 2);
        CHECK(word({}) == 1);           // argc: no word
        CHECK(word({"--quiet"}) == 2);  // argc
        CHECK(word({"--db"}) == 2);     // argc: its value is missing
    }

    TEST_CASE("no guess past what the root does not know") {
        CHECK_FALSE(word({"--bogus", "show"}));
        CHECK_FALSE(word({"-x", "show"}));
        CHECK_FALSE(word({"-qx", "show"}));
        CHECK_FALSE(word({"--", "show"}));
    }

    TEST_CASE("help is found after any global option") {
        Line line({"--db", "help", "help", "show"});
        auto words = help_request(root(), line.argc(), line.argv.data());
        REQUIRE(words);
        CHECK(*words == std::vector<std::string>{"show"});
        Line not_help({"show", "help"});
        CHECK_FALSE(help_request(root(), not_help.argc(), not_help.argv.data()));
    }
}
