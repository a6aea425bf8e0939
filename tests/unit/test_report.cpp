// The report renderer of the audit and upkeep commands, and the parsers of
// recorded hashes.
#include <doctest/doctest.h>

#include "invlog/cli/parse.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/output/report.hpp"

using namespace invlog;
using output::Format;

namespace {

output::Report sample() {
    output::Report r;
    r.summary = {{"ok", false}, {"head_seq", std::int64_t{12}}, {"head_hash", nullptr}};
    r.rows_key = "problems";
    r.columns = {"seq", "sku", "message"};
    r.rows = {{std::int64_t{5}, std::string("A"), std::string("hash, \"changed\"")},
              {nullptr, nullptr, std::string("stray")}};
    return r;
}

}  // namespace

TEST_SUITE("unit.report") {
    TEST_CASE("text: aligned key lines with the keys of json, then a table") {
        CHECK(output::render_report(sample(), Format::text, {}) ==
              "ok:        false\n"
              "head_seq:  12\n"
              "head_hash: -\n"
              "\n"
              "seq  sku  message\n"
              "5    A    hash, \"changed\"\n"
              "-    -    stray\n");
    }

    TEST_CASE("json: one object with the rows under their key; ndjson the same on one line") {
        CHECK(output::render_report(sample(), Format::ndjson, {}) ==
              R"({"ok":false,"head_seq":12,"head_hash":null,"problems":[)"
              R"({"seq":5,"sku":"A","message":"hash, \"changed\""},{"seq":null,"sku":null,"message":"stray"}]})"
              "\n");
        // A single object: indented on a terminal, one line when piped.
        output::Style terminal;
        terminal.pretty = true;
        const auto pretty = output::render_report(sample(), Format::json, terminal);
        CHECK(pretty.substr(0, 15) == "{\n  \"ok\": false");
        CHECK(output::render_report(sample(), Format::json, {}) == output::render_report(sample(), Format::ndjson, {}));
    }

    TEST_CASE("csv: the rows when there are rows, else the summary") {
        CHECK(output::render_report(sample(), Format::csv, {}) ==
              "seq,sku,message\r\n5,A,\"hash, \"\"changed\"\"\"\r\n,,stray\r\n");
        output::Report r;
        r.summary = {{"events", std::int64_t{3}}, {"database", std::string("/x.db")}};
        CHECK(output::render_report(r, Format::csv, {}) == "events,database\r\n3,/x.db\r\n");
        output::Style no_header;
        no_header.header = false;
        CHECK(output::render_report(r, Format::csv, no_header) == "3,/x.db\r\n");
    }

    TEST_CASE("rows alone print as a list command prints them") {
        output::Report r;
        r.rows_key = "settings";
        r.columns = {"key", "value"};
        r.rows = {{std::string("a"), std::int64_t{1}}, {std::string("b"), true}};
        CHECK(output::render_report(r, Format::ndjson, {}) ==
              "{\"key\":\"a\",\"value\":1}\n{\"key\":\"b\",\"value\":true}\n");
        CHECK(output::render_report(r, Format::text, {}) == "key  value\na    1\nb    true\n");
        r.rows.clear();
        CHECK(output::render_report(r, Format::json, {}) == "[]\n");
    }
}

TEST_SUITE("unit.parse_hash") {
    const std::string hash = "1c84780f341b0b3cfbb288961896d76a04ea5b88b8f83f9e0569607c9ec6045c";

    TEST_CASE("a hash is 64 hex digits, shown in lowercase") {
        CHECK(cli::parse_hash(hash, "--expect-head") == hash);
        std::string upper = hash;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        CHECK(cli::parse_hash(upper, "--expect-head") == hash);
        CHECK_THROWS_WITH_AS(cli::parse_hash(hash.substr(1), "--expect-head"),
                             doctest::Contains("invalid --expect-head"), domain::Failure);
        CHECK_THROWS_AS(cli::parse_hash(hash + "0", "--expect-head"), domain::Failure);
        CHECK_THROWS_AS(cli::parse_hash("g" + hash.substr(1), "--expect-head"), domain::Failure);
        CHECK_THROWS_AS(cli::parse_hash("", "--expect-head"), domain::Failure);
    }

    TEST_CASE("HASH@SEQ") {
        auto [h, seq] = cli::parse_hash_at_seq(hash + "@42", "--expect");
        CHECK(h == hash);
        CHECK(seq == 42);
        CHECK_THROWS_WITH_AS(cli::parse_hash_at_seq(hash, "--expect"), doctest::Contains("expected HASH@SEQ"),
                             domain::Failure);
        CHECK_THROWS_WITH_AS(cli::parse_hash_at_seq(hash + "@0", "--expect"), doctest::Contains("--expect seq"),
                             domain::Failure);
        CHECK_THROWS_AS(cli::parse_hash_at_seq(hash + "@-1", "--expect"), domain::Failure);
        CHECK_THROWS_AS(cli::parse_hash_at_seq("@5", "--expect"), domain::Failure);
    }
}
