// The apply line parser and the bounded line reader: every accepted shape,
// every malformed-line kind, and junk input that must fail cleanly.
#include <doctest/doctest.h>

#include <random>

#include "invlog/batch/line_reader.hpp"
#include "invlog/batch/parse_line.hpp"
#include "invlog/domain/error.hpp"

using namespace invlog;

namespace {

const batch::Defaults defaults{"ops", std::nullopt};

// The code of the usage Failure that parse_line throws for a line.
std::string refusal(std::string_view line, const batch::Defaults& d = defaults) {
    try {
        batch::parse_line(line, d);
    } catch (const domain::Failure& f) {
        CHECK(f.kind() == domain::ErrorKind::usage);
        return f.code();
    }
    return "accepted";
}

std::string message(std::string_view line) {
    try {
        batch::parse_line(line, defaults);
    } catch (const domain::Failure& f) {
        return f.what();
    }
    return "accepted";
}

template <class C>
C command_of(std::string_view line) {
    return std::get<C>(batch::parse_line(line, defaults).command);
}

// A Line owning its text (a Line's view is valid only until the next read).
struct Got {
    std::int64_t number;
    std::string text;
    bool too_long;
};

std::vector<Got> lines_of(std::string text, std::size_t max = batch::max_line_bytes) {
    batch::LineReader reader(batch::read_string(std::move(text)), max);
    std::vector<Got> out;
    while (auto line = reader.next()) out.push_back(Got{line->number, std::string(line->text), line->too_long});
    return out;
}

}  // namespace

TEST_SUITE("unit.batch") {
    TEST_CASE("each command parses into its request") {
        auto r = batch::parse_line(R"({"cmd":"create","sku":"A-1","soh":10,"available":4})", defaults);
        CHECK(r.sku == "A-1");
        CHECK(std::get<domain::Create>(r.command).soh == 10);
        CHECK(std::get<domain::Create>(r.command).available == 4);
        CHECK(r.actor == "ops");
        CHECK_FALSE(r.reason);

        r = batch::parse_line(R"({"cmd":"create","sku":"A","soh":0})", defaults);
        CHECK_FALSE(std::get<domain::Create>(r.command).available);
        r = batch::parse_line(R"({"cmd":"set-soh","sku":"A","soh":7})", defaults);
        CHECK(std::get<domain::SetSoh>(r.command).soh == 7);
        r = batch::parse_line(R"({"cmd":"set-available","sku":"A","available":0})", defaults);
        CHECK(std::get<domain::SetAvailable>(r.command).available == 0);
        r = batch::parse_line(R"({"sku":"A","qty":3,"cmd":"reserve"})", defaults);  // any field order
        CHECK(std::get<domain::Reserve>(r.command).qty == 3);
        CHECK(command_of<domain::Complete>(R"({"cmd":"complete","sku":"A","qty":1})").qty == 1);
        CHECK(command_of<domain::Release>(R"({"cmd":"release","sku":"A","qty":2})").qty == 2);
        CHECK(command_of<domain::Receive>(R"({"cmd":"receive","sku":"A","qty":1000000000000})").qty ==
              1'000'000'000'000);
        r = batch::parse_line(R"({"cmd":"adjust","sku":"A","delta":-5,"reason":"count"})", defaults);
        CHECK(std::get<domain::Adjust>(r.command).delta == -5);
        CHECK(r.reason == "count");
    }

    TEST_CASE("metadata fields and defaults") {
        auto r = batch::parse_line(
            R"({"cmd":"reserve","sku":"A","qty":1,"actor":"alice","reason":"order","expected_version":0,)"
            R"("idempotency_key":"order-17"})",
            defaults);
        CHECK(r.actor == "alice");
        CHECK(r.reason == "order");
        CHECK(r.expected_version == 0);
        CHECK(r.idempotency_key == "order-17");

        batch::Defaults with_reason{"ops", "nightly import"};
        r = batch::parse_line(R"({"cmd":"adjust","sku":"A","delta":2})", with_reason);
        CHECK(r.reason == "nightly import");
        // null is the same as leaving the field out
        r = batch::parse_line(R"({"cmd":"reserve","sku":"A","qty":1,"reason":null,"idempotency_key":null})", defaults);
        CHECK_FALSE(r.reason);
        CHECK_FALSE(r.idempotency_key);
        r = batch::parse_line(" \t{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":1}\r", defaults);
        CHECK(r.sku == "A");
    }

    TEST_CASE("malformed lines are usage errors with a code per kind") {
        CHECK(refusal("") == "invalid_json");
        CHECK(refusal("{") == "invalid_json");
        CHECK(refusal(R"({"cmd":"reserve",})") == "invalid_json");
        CHECK(refusal(R"({"cmd":"reserve"} {})") == "invalid_json");
        CHECK(refusal("{\"cmd\":\"re\xff\"}") == "invalid_json");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A","qty":1e999})") == "invalid_json");
        CHECK(refusal("[1,2]") == "not_an_object");
        CHECK(refusal("\"reserve\"") == "not_an_object");
        CHECK(refusal("3") == "not_an_object");
        CHECK(refusal("null") == "not_an_object");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A","qty":1,"Qty":1})") == "unknown_field");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A","qty":1,"qty":1})") == "duplicate_field");
        CHECK(refusal(R"({"sku":"A","qty":1})") == "missing_field");
        CHECK(refusal(R"({"cmd":null,"sku":"A","qty":1})") == "missing_field");
        CHECK(refusal(R"({"cmd":"reserve","qty":1})") == "missing_field");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A"})") == "missing_field");
        CHECK(refusal(R"({"cmd":"create","sku":"A"})") == "missing_field");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A","qty":null})") == "missing_field");
        CHECK(refusal(R"({"cmd":"Reserve","sku":"A","qty":1})") == "unknown_command");
        CHECK(refusal(R"({"cmd":3,"sku":"A","qty":1})") == "unknown_command");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A","delta":1})") == "field_not_applicable");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A","qty":1,"soh":1})") == "field_not_applicable");
        CHECK(refusal(R"({"cmd":"adjust","sku":"A","qty":1,"reason":"x"})") == "field_not_applicable");
        CHECK(refusal(R"({"cmd":"set-available","sku":"A","soh":1})") == "field_not_applicable");
        CHECK(refusal(R"({"cmd":"adjust","sku":"A","delta":1})") == "missing_reason");
    }

    TEST_CASE("wrong types and out-of-range values name the field and the value") {
        CHECK(message(R"({"cmd":"reserve","sku":"A","qty":"3"})") ==
              "invalid \"qty\" value \"3\": expected a whole number from 1 to 1000000000000 as a JSON number, not a "
              "string");
        CHECK(message(R"({"cmd":"reserve","sku":"A","qty":3.0})") ==
              "invalid \"qty\" value 3.0: expected a whole number from 1 to 1000000000000");
        for (const char* bad : {"-1", "0", "true", "false", "3.5", "1e3", "[3]", "{\"n\":3}", "1000000000001",
                                "18446744073709551616", "9223372036854775808"}) {
            CAPTURE(bad);
            CHECK(refusal(std::string(R"({"cmd":"reserve","sku":"A","qty":)") + bad + "}") == "invalid_argument");
        }
        CHECK(refusal(R"({"cmd":"create","sku":"A","soh":-1})") == "invalid_argument");
        CHECK(refusal(R"({"cmd":"create","sku":"A","soh":1,"available":"1"})") == "invalid_argument");
        CHECK(refusal(R"({"cmd":"adjust","sku":"A","delta":0,"reason":"x"})") == "invalid_argument");
        CHECK(refusal(R"({"cmd":"adjust","sku":"A","delta":-1000000000001,"reason":"x"})") == "invalid_argument");
        CHECK(refusal(R"({"cmd":"reserve","sku":"a b","qty":1})") == "invalid_argument");
        CHECK(refusal(R"({"cmd":"reserve","sku":"","qty":1})") == "invalid_argument");
        CHECK(refusal(R"({"cmd":"reserve","sku":7,"qty":1})") == "invalid_argument");
        CHECK(refusal(std::string(R"({"cmd":"reserve","qty":1,"sku":")") + std::string(65, 'x') + "\"}") ==
              "invalid_argument");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A","qty":1,"actor":""})") == "invalid_argument");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A","qty":1,"actor":"a\u0000b"})") == "invalid_argument");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A","qty":1,"reason":5})") == "invalid_argument");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A","qty":1,"expected_version":-1})") == "invalid_argument");
        CHECK(refusal(R"({"cmd":"reserve","sku":"A","qty":1,"expected_version":"1"})") == "invalid_argument");
        CHECK(refusal(std::string(R"({"cmd":"reserve","sku":"A","qty":1,"idempotency_key":")") + std::string(257, 'k') +
                      "\"}") == "invalid_argument");
    }

    TEST_CASE("junk never escapes as anything but a usage Failure") {
        // A cheap deterministic fuzz: mutations of a valid line.
        const std::string seed =
            R"({"cmd":"set-soh","sku":"A","soh":5,"available":2,"reason":"r","expected_version":3,"idempotency_key":"k"})";
        std::mt19937 rng(12345);
        const std::string alphabet = "{}[]\":,0123456789-+.eEtrufalsn \\u\x01\xff\xc3";
        int accepted = 0;
        for (int i = 0; i < 20000; ++i) {
            std::string line = seed;
            int edits = 1 + static_cast<int>(rng() % 4);
            for (int k = 0; k < edits; ++k) {
                std::size_t at = rng() % (line.size() + 1);
                switch (rng() % 3) {
                case 0: line.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
                case 1:
                    if (at < line.size()) line.erase(at, 1);
                    break;
                default:
                    if (at < line.size()) line[at] = alphabet[rng() % alphabet.size()];
                }
            }
            try {
                batch::parse_line(line, defaults);
                ++accepted;
            } catch (const domain::Failure& f) {
                REQUIRE(f.kind() == domain::ErrorKind::usage);
            }
        }
        CHECK(accepted > 0);  // the mutations are not all fatal, so valid paths ran too
    }

    TEST_CASE("the line reader numbers lines and keeps the last one without a newline") {
        auto lines = lines_of("a\n\nbc\r\nlast");
        REQUIRE(lines.size() == 4);
        CHECK(lines[0].number == 1);
        CHECK(lines[0].text == "a");
        CHECK(lines[1].text.empty());
        CHECK(lines[2].text == "bc\r");
        CHECK(lines[3].number == 4);
        CHECK(lines[3].text == "last");
        CHECK(lines_of("").empty());
        CHECK(lines_of("x\n").size() == 1);
    }

    TEST_CASE("lines longer than the limit are reported, not kept, and reading goes on") {
        auto lines = lines_of("12345\n123456\n" + std::string(200'000, 'x') + "\nok\n123456", 5);
        REQUIRE(lines.size() == 5);
        CHECK_FALSE(lines[0].too_long);
        CHECK(lines[0].text == "12345");
        CHECK(lines[1].too_long);
        CHECK(lines[1].text.empty());
        CHECK(lines[2].too_long);
        CHECK(lines[3].text == "ok");
        CHECK(lines[4].too_long);

        // Lines spanning many read chunks are put together whole.
        std::string big(300'000, 'y');
        auto spanning = lines_of(big + "\n" + big);
        REQUIRE(spanning.size() == 2);
        CHECK(spanning[0].text == big);
        CHECK(spanning[1].text == big);
        // The default limit is 1 MiB exactly.
        auto limit = lines_of(std::string(batch::max_line_bytes, 'z') + "\n" +
                              std::string(batch::max_line_bytes + 1, 'z') + "\n");
        REQUIRE(limit.size() == 2);
        CHECK_FALSE(limit[0].too_long);
        CHECK(limit[1].too_long);
    }
}
