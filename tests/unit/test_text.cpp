// Text rules and the echo of user values: what free text may hold, how any
// value is shown in a message, what --db may name, and apply lines with a
// NUL byte.
#include <doctest/doctest.h>

#include <string>

#include "invlog/batch/parse_line.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/domain/text.hpp"

using namespace invlog;
using namespace std::string_literals;

namespace {

std::string failure_message(const std::function<void()>& f) {
    try {
        f();
    } catch (const domain::Failure& e) {
        CHECK(e.kind() == domain::ErrorKind::usage);
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST_SUITE("unit.text") {
    TEST_CASE("UTF-8 decoding") {
        CHECK(domain::decode_utf8("a", 0)->value == U'a');
        CHECK(domain::decode_utf8("\xc3\xa9", 0)->value == U'é');
        CHECK(domain::decode_utf8("\xc3\xa9", 0)->length == 2);
        CHECK(domain::decode_utf8("\xf0\x9f\x92\xa5", 0)->value == 0x1f4a5);
        for (std::string bad : {"\xff"s, "\xc3"s, "\xc0\xaf"s, "\xed\xa0\x80"s, "\xf4\x90\x80\x80"s, "\x80"s}) {
            CAPTURE(bad);
            CHECK_FALSE(domain::decode_utf8(bad, 0));
        }
    }

    TEST_CASE("free text refuses controls, bidirectional formatting, line separators and U+FEFF") {
        CHECK_FALSE(domain::text_problem("order 17, ünïcode, 💥, a\u200db", 100));  // a joiner is fine
        for (std::string bad :
             {"a\x01"s, "a\x7f"s, "a\u0085b"s, "a\u009bb"s, "a\u009f"s, "a\u202ab"s, "a\u202eb"s, "a\u2066b"s,
              "a\u2069b"s, "a\u200eb"s, "a\u200fb"s, "a\u061cb"s, "a\u2028b"s, "a\u2029b"s, "\ufeffa"s,
              "a\xff"
              "b"s}) {
            CAPTURE(bad);
            CHECK(domain::text_problem(bad, 100));
        }
        CHECK(domain::text_problem("ab\u202e", 100) ==
              "bidirectional formatting characters are not allowed (U+202E at byte 2)");
        CHECK(domain::text_problem("a\u009b", 100) == "control characters are not allowed (U+009B at byte 1)");
        CHECK(domain::text_problem("a\u2028", 100) ==
              "line and paragraph separators are not allowed (U+2028 at byte 1)");
        CHECK(domain::text_problem("a\xff", 100) == "not valid UTF-8 (at byte 1)");
        CHECK(failure_message([] {
                  cli::parse_text("rsn\u202e", "--reason", 100);
              }).find("invalid --reason 'rsn\\u202e': bidirectional") == 0);
    }

    TEST_CASE("an echoed value is cut after 80 bytes with its size, and escaped") {
        CHECK(domain::shown("plain") == "plain");
        CHECK(domain::shown("é and 💥") == "é and 💥");
        CHECK(domain::shown("a\x1b[31mb") == "a\\x1b[31mb");
        CHECK(domain::shown("a\xff\xfe") == "a\\xff\\xfe");
        CHECK(domain::shown("a\u009bb\u202ec\u2028\ufeff") == "a\\u009bb\\u202ec\\u2028\\ufeff");
        const std::string big(1 << 20, 'x');
        CHECK(domain::shown(big) == std::string(80, 'x') + "... (1048576 bytes)");
        // Cut at a character boundary, never inside one.
        const std::string accents = std::string(79, 'a') + "éé";
        CHECK(domain::shown(accents) == std::string(79, 'a') + "... (83 bytes)");
        CHECK(domain::shown_path(std::string(200, 'p')) == std::string(200, 'p'));
    }

    TEST_CASE("argument messages echo through the same helper") {
        const std::string big(1 << 20, 'q');
        auto msg = failure_message([&] { cli::parse_quantity(big, "QTY"); });
        CHECK(msg.size() < 250);
        CHECK(msg.find("... (1048576 bytes)") != std::string::npos);
        CHECK(failure_message([] { cli::parse_sku("a\xff\u202e"); }).find("'a\\xff\\u202e'") != std::string::npos);
    }

    TEST_CASE("apply lines echo field names and values cut and escaped") {
        const batch::Defaults defaults{"ops", std::nullopt};
        const std::string key(1 << 20, 'k');
        auto msg = failure_message(
            [&] { batch::parse_line(R"({"cmd":"reserve","sku":"A","qty":1,")" + key + R"(":1})", defaults); });
        CHECK(msg.find("unknown field \"" + std::string(80, 'k') + "... (1048576 bytes)\"") == 0);
        CHECK(msg.size() < 400);
        msg = failure_message(
            [&] { batch::parse_line(R"({"cmd":"reserve","sku":"A","qty":1,"a\u001b\u202e":1})", defaults); });
        CHECK(msg.find("unknown field \"a\\x1b\\u202e\"") == 0);
        // The JSON parser's own message quotes what it read last.
        msg = failure_message([&] { batch::parse_line("{\"cmd\":\"a\xff\x1b\"}", defaults); });
        CHECK(msg.find("invalid JSON at byte") == 0);
        CHECK(msg.find('\x1b') == std::string::npos);
        CHECK(msg.find('\xff') == std::string::npos);
        msg = failure_message([&] { batch::parse_line("{\"cmd\":\"r\u202e\",\"sku\":\"A\",\"qty\":1}", defaults); });
        CHECK(msg.find("unknown \"cmd\" value \"r\\u202e\"") == 0);
        const std::string digits(5000, '9');
        msg = failure_message(
            [&] { batch::parse_line(R"({"cmd":"reserve","sku":"A","qty":)" + digits + "}", defaults); });
        CHECK(msg.size() < 400);
    }

    TEST_CASE("a NUL byte anywhere in an apply line is refused") {
        const batch::Defaults defaults{"ops", std::nullopt};
        const std::string ok = R"({"cmd":"reserve","sku":"A","qty":1})";
        CHECK_NOTHROW(batch::parse_line(ok, defaults));
        for (std::string line : {ok + "\0"s, ok + "\0{\"cmd\":\"x\"}"s, "\0"s + ok,
                                 R"({"cmd":"reserve","sku":"A",)"s + "\0"s + R"("qty":1})"s}) {
            CAPTURE(line);
            CHECK(failure_message([&] { batch::parse_line(line, defaults); }).find("a NUL byte") != std::string::npos);
        }
    }

    TEST_CASE("--db is a path: SQLite's special names are refused, a colon elsewhere is not") {
        CHECK(cli::parse_db_location("./a:b.db", "--db") == "./a:b.db");
        CHECK(cli::parse_db_location("a:b.db", "--db") == "a:b.db");
        CHECK(cli::parse_db_location("/srv/file.db", "--db") == "/srv/file.db");
        for (std::string bad :
             {""s, ":memory:"s, "file::memory:"s, "file:x.db"s, "file:/srv/x.db?mode=memory"s, "file:"s}) {
            CAPTURE(bad);
            CHECK(failure_message([&] { cli::parse_db_location(bad, "--db"); }).find("invalid --db '") == 0);
        }
    }
}
