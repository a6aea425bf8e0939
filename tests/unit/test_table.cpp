// Text tables: display width (accents, CJK, emoji, invalid bytes) and the
// streamed table's look-ahead.
#include <doctest/doctest.h>

#include "invlog/output/table.hpp"
#include "invlog/output/width.hpp"

using namespace invlog;

TEST_SUITE("unit.output.table") {
    TEST_CASE("display width counts columns, not bytes") {
        CHECK(output::display_width("") == 0);
        CHECK(output::display_width("WIDGET-1") == 8);
        CHECK(output::display_width("caf\xc3\xa9") == 4);               // é precomposed: 2 bytes, 1 column
        CHECK(output::display_width("cafe\xcc\x81") == 4);              // e + combining acute: 0 for the accent
        CHECK(output::display_width("\xe4\xb8\xad\xe6\x96\x87") == 4);  // 中文: wide, 2 columns each
        CHECK(output::display_width("\xef\xbc\xa1") == 2);              // Ａ fullwidth
        CHECK(output::display_width("\xf0\x9f\x98\x80") == 2);          // 😀 emoji
        CHECK(output::display_width("a\xffz") == 3);                    // a byte that is not UTF-8 counts 1
        CHECK(output::display_width("\xe4\xb8") == 2);                  // a cut sequence: 1 per byte
        CHECK(output::display_width("\xe2\x80\x8b") == 0);              // zero width space
    }

    TEST_CASE("display width does not depend on the process locale") {
        // The test binary never calls setlocale: its locale is "C", under
        // which wcwidth knows no wide characters.
        CHECK(output::display_width("\xe4\xb8\xad") == 2);
    }

    TEST_CASE("cells a terminal would run are escaped as shown() escapes them") {
        CHECK(output::terminal_safe("caf\xc3\xa9 \xe4\xb8\xad") == "caf\xc3\xa9 \xe4\xb8\xad");
        CHECK(output::terminal_safe("a\x1b[2Jb") == "a\\x1b[2Jb");
        CHECK(output::terminal_safe("x\xffy") == "x\\xffy");
        CHECK(output::terminal_safe("a\xe2\x80\xae"
                                    "b") == "a\\u202eb");  // right-to-left override
    }

    TEST_CASE("accents and wide characters line up") {
        output::Table t({"sku", "soh"}, {false, true});
        t.add({"caf\xc3\xa9", "1"});
        t.add({"\xe4\xb8\xad\xe6\x96\x87", "22"});
        t.add({"e\xcc\x81", "333"});
        t.add({"\xf0\x9f\x98\x80", "4"});
        CHECK(t.render({}) ==
              "sku   soh\n"
              "caf\xc3\xa9    1\n"
              "\xe4\xb8\xad\xe6\x96\x87   22\n"
              "e\xcc\x81     333\n"
              "\xf0\x9f\x98\x80      4\n");
    }

    TEST_CASE("a tampered cell cannot reach the terminal raw, and its escape is what is measured") {
        output::Table t({"actor", "n"}, {false, true});
        t.add({"\x1b[2J", "1"});
        t.add({"bob", "2"});
        CHECK(t.render({}) == "actor    n\n\\x1b[2J  1\nbob      2\n");
    }

    TEST_CASE("a streamed table within its look-ahead is the table rendered whole") {
        const std::vector<std::vector<std::string>> rows = {{"LONGER", "5", "x"}, {"A", "100", "yy"}, {"BB", "7", ""}};
        for (const output::Style style :
             {output::Style{}, output::Style{true, false, true}, output::Style{false, false, false}}) {
            output::Table whole({"sku", "soh", "note"}, {false, true, false});
            output::StreamTable streamed({"sku", "soh", "note"}, {false, true, false}, style, 3);
            std::string out;
            for (const auto& row : rows) {
                whole.add(row);
                out += streamed.add(row);
            }
            out += streamed.finish();
            CHECK(out == whole.render(style));
        }
    }

    TEST_CASE("a streamed table holds its first rows only, then writes each row as it comes") {
        output::StreamTable t({"sku", "soh"}, {false, true}, {}, 2);
        CHECK(t.add({"A", "1"}).empty());
        CHECK(t.add({"BB", "2"}) == "sku  soh\nA      1\nBB     2\n");
        CHECK(t.add({"C", "3"}) == "C      3\n");
        // Wider than its column, sized by the look-ahead: written whole, the
        // rest of its row pushed right; the rows after it are not moved.
        CHECK(t.add({"DDDDD", "4444"}) == "DDDDD  4444\n");
        CHECK(t.add({"E", "5"}) == "E      5\n");
        CHECK(t.finish().empty());
    }

    TEST_CASE("a streamed table with no rows is its header") {
        output::StreamTable t({"sku", "soh"}, {false, true}, {});
        CHECK(t.finish() == "sku  soh\n");
        output::StreamTable bare({"sku", "soh"}, {false, true}, output::Style{false, false, false});
        CHECK(bare.finish().empty());
    }
}

#include "invlog/output/json.hpp"
#include "invlog/output/render.hpp"

TEST_SUITE("unit.output.table") {
    TEST_CASE("list rows written directly are the bytes of the state object's dump") {
        for (const std::string sku : {"A", "WIDGET-1", "q\"uote\\back", "caf\xc3\xa9", "bad\xff"}) {
            for (const std::int64_t n : {std::int64_t{0}, std::int64_t{-5}, INT64_MAX, INT64_MIN}) {
                domain::SkuState s{sku, {n, 7, 3, 9}, n};
                std::string direct;
                output::append_state_json(direct, s);
                CHECK(direct == output::dump_line(output::state_json(s)));
                output::Json with = output::state_json(s);
                with["resolved_seq"] = n;
                direct.clear();
                output::append_state_json(direct, s, "resolved_seq", n);
                CHECK(direct == output::dump_line(with));
            }
        }
        output::StateListRenderer r(output::Format::ndjson, {});
        domain::SkuState s{"A", {10, 7, 3, 3}, 1'795'773'600'123};
        CHECK(
            r.begin() + r.add(s) + r.add(s) + r.finish() ==
            std::string(
                R"({"sku":"A","soh":10,"available_quantity":7,"reserved":3,"version":3,"updated_at":"2026-11-27T10:00:00.123Z"})"
                "\n"
                R"({"sku":"A","soh":10,"available_quantity":7,"reserved":3,"version":3,"updated_at":"2026-11-27T10:00:00.123Z"})"
                "\n"));
    }
}
