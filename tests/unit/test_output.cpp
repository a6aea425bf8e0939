// Renderers: the JSON contract, CSV quoting, table alignment.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "invlog/output/apply_result.hpp"
#include "invlog/output/json.hpp"
#include "invlog/output/render.hpp"
#include "invlog/output/table.hpp"

using namespace invlog;

namespace {

domain::EventRecord sample_event() {
    domain::EventRecord e;
    e.seq = 7;
    e.event_id = "e-1";
    e.sku = "A";
    e.version = 2;
    e.event = domain::StockReserved{3};
    e.recorded_at = 1'795'773'600'123;
    e.meta = {"alice", std::nullopt, "c-1", std::string("k,1")};
    e.hash = "ab";
    return e;
}

}  // namespace

TEST_SUITE("unit.output") {
    TEST_CASE("state object keys and values") {
        domain::SkuState s{"A", {10, 7, 3, 3}, 1'795'773'600'123};
        CHECK(
            output::state_json(s).dump() ==
            R"({"sku":"A","soh":10,"available_quantity":7,"reserved":3,"version":3,"updated_at":"2026-11-27T10:00:00.123Z"})");
        CHECK(output::render_state(s, output::Format::csv, {}) ==
              "sku,soh,available_quantity,reserved,version,updated_at\r\nA,10,7,3,3,2026-11-27T10:00:00.123Z\r\n");
        output::Style no_header;
        no_header.header = false;
        CHECK(output::render_state(s, output::Format::csv, no_header) == "A,10,7,3,3,2026-11-27T10:00:00.123Z\r\n");
        // Text uses the keys of json and csv; notes are for stderr, not the
        // answer (json keeps them as a field).
        auto text = output::render_state(s, output::Format::text, {}, {"something happened"});
        CHECK(text.find("available_quantity: 7\n") != std::string::npos);
        CHECK(text.find("something happened") == std::string::npos);
        CHECK(output::render_state(s, output::Format::ndjson, {}, {"something happened"})
                  .find(R"("notes":["something happened"])") != std::string::npos);
        // A single json object: compact when piped, indented on a terminal.
        CHECK(output::render_state(s, output::Format::json, {}).find('\n') + 1 ==
              output::render_state(s, output::Format::json, {}).size());
        output::Style terminal;
        terminal.pretty = true;
        CHECK(output::render_state(s, output::Format::json, terminal).find("\n  \"sku\": \"A\"") != std::string::npos);
        CHECK(text.find('\x1b') == std::string::npos);
        CHECK(output::render_state(s, output::Format::text, {true}).find("\x1b[1m") != std::string::npos);
    }

    TEST_CASE("event object") {
        auto e = sample_event();
        domain::State after{10, 7, 3, 2};
        CHECK(output::event_json(e) ==
              R"({"seq":7,"event_id":"e-1","sku":"A","version":2,"event_type":"STOCK_RESERVED","data":{"reserved":3},)"
              R"("recorded_at":"2026-11-27T10:00:00.123Z","actor":"alice","reason":null,"command_id":"c-1",)"
              R"("idempotency_key":"k,1","hash":"ab"})");
        CHECK(nlohmann::ordered_json::parse(output::event_json(e, &after))["state"].dump() ==
              R"({"soh":10,"available_quantity":7,"reserved":3,"version":2})");
    }

    TEST_CASE("JSON strings are escaped as nlohmann::json escapes them") {
        for (std::string text :
             {std::string("plain"), std::string("quote \" and \\ backslash"), std::string("tab\tnew\nline\r\b\f"),
              std::string("\x01\x1f\x7f"), std::string("ünïcödé ✓ 💥"), std::string()}) {
            CAPTURE(text);
            std::string out;
            output::append_json_string(out, text);
            CHECK(out == nlohmann::json(text).dump());
        }
        std::string out;
        output::append_json_string(out, "bad \xff end");
        CHECK(out == "\"bad \xef\xbf\xbd end\"");
        auto e = sample_event();
        e.meta.reason = "a \"reason\"\n";
        CHECK(nlohmann::json::parse(output::event_json(e))["reason"] == "a \"reason\"\n");
    }

    TEST_CASE("JSON strings: every byte that needs escaping, at every place of a word") {
        // The escaper copies eight bytes at a time until one needs more than
        // a copy: each such byte, before, inside and after a word, and a
        // sequence cut by the end of the string.
        const std::string specials[] = {"\"",
                                        "\\",
                                        "\n",
                                        "\x01",
                                        "\x1f",
                                        "\x7f",
                                        "\xff",
                                        "\xc3",
                                        "\xc3\xa9",
                                        "\xe2\x9c\x93",
                                        "\xf0\x9f\x92\xa5",
                                        "\xed\xa0\x80"};
        for (const auto& special : specials)
            for (std::size_t at = 0; at <= 17; ++at) {
                std::string text = std::string(at, 'a') + special + std::string(17 - at, 'b');
                for (const std::string& t : {text, text.substr(0, at + special.size())}) {
                    CAPTURE(t);
                    std::string out = "x";
                    output::append_json_string(out, t);
                    CHECK(out ==
                          "x" + nlohmann::json(t).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
                    std::string room(output::json_string_room(t.size()), '\0');
                    CHECK(std::string_view(room.data(), output::put_json_string(room.data(), t)) == out.substr(1));
                }
            }
    }

    TEST_CASE("JSON strings: invalid UTF-8 replaced as nlohmann::json replaces it, for every short string") {
        // Every string of one to four bytes over the bytes where UTF-8's
        // rules change (ASCII, continuation ranges, each kind of lead byte,
        // bytes that start nothing): a cut or broken sequence becomes one
        // U+FFFD, a byte that starts nothing one each.
        const unsigned char edges[] = {0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
                                       0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xf0, 0xf4, 0xf5, 0xff};
        std::size_t checked = 0, differ = 0;
        std::string t;
        auto check = [&] {
            std::string out;
            output::append_json_string(out, t);
            const auto expected = nlohmann::json(t).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            ++checked;
            if (out == expected) return;
            if (++differ > 5) return;  // the first few, by their bytes
            std::string hex;
            for (unsigned char x : t) hex += fmt::format("{:02x} ", x);
            CHECK_MESSAGE(out == expected, "bytes ", hex);
        };
        for (auto a : edges) {
            t.assign(1, static_cast<char>(a));
            check();
            for (auto b : edges) {
                t.assign({static_cast<char>(a), static_cast<char>(b)});
                check();
                for (auto c : edges) {
                    t.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
                    check();
                    for (auto d : edges) {
                        t.assign(
                            {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c), static_cast<char>(d)});
                        check();
                    }
                }
            }
        }
        CHECK(checked == 18 + 18 * 18 + 18 * 18 * 18 + 18 * 18 * 18 * 18);
        CHECK(differ == 0);
    }

    TEST_CASE("an event object from borrowed fields is the record's") {
        auto e = sample_event();
        e.event = domain::InventoryCreated{10, 9, 1};
        e.meta.reason = "why \"not\"";
        e.meta.idempotency_key = std::nullopt;
        const output::EventView view{e.seq,
                                     e.event_id,
                                     e.sku,
                                     e.version,
                                     e.event,
                                     e.recorded_at,
                                     e.meta.actor,
                                     std::string_view(*e.meta.reason),
                                     e.meta.command_id,
                                     std::nullopt,
                                     e.hash};
        std::string out(output::event_json_room(view), '\0');
        util::TimeFormatter time;
        out.resize(static_cast<std::size_t>(output::put_event_json(out.data(), view, time) - out.data()));
        CHECK(out == output::event_json(e));
        CHECK(out.find(R"("data":{"soh":10,"available_quantity":9,"reserved":1})") != std::string::npos);
        CHECK(out.find(R"("reason":"why \"not\"","command_id":"c-1","idempotency_key":null,"hash":"ab"})") !=
              std::string::npos);
    }

    TEST_CASE("lists in every format") {
        auto e = sample_event();
        auto render = [&](output::Format f) {
            output::EventListRenderer r(f, {}, false);
            std::string out = r.begin();
            out += r.add(e);
            out += r.add(e);
            return out + r.finish();
        };
        auto json = nlohmann::json::parse(render(output::Format::json));
        REQUIRE(json.size() == 2);
        CHECK(json[1]["seq"] == 7);
        auto nd = render(output::Format::ndjson);
        CHECK(std::count(nd.begin(), nd.end(), '\n') == 2);
        auto csv = render(output::Format::csv);
        CHECK(csv.find("\"{\"\"reserved\"\":3}\"") != std::string::npos);
        CHECK(csv.find(",\"k,1\",") != std::string::npos);
        output::EventListRenderer empty(output::Format::json, {}, false);
        std::string out = empty.begin();
        CHECK(out + empty.finish() == "[]\n");
    }

    TEST_CASE("apply result lines: the bytes of the documented object, written without a document") {
        // What add_ok wrote when it built a JSON document and dumped it.
        auto document = [](std::int64_t line, const domain::SkuState& s, const std::vector<std::string>& notes,
                           bool replayed) {
            output::Json j;
            j["line"] = line;
            j["ok"] = true;
            j["state"] = output::state_json(s);
            if (replayed) j["replayed"] = true;
            if (!notes.empty()) j["notes"] = notes;
            return output::dump_line(j);
        };
        const domain::SkuState s{"A-1:x/y", {10, 7, 3, 12}, 1'795'773'600'123};
        const std::vector<std::vector<std::string>> notes_cases = {
            {},
            {"one note"},
            {"quotes \" and \\ back", "a tab\there, a newline\n", std::string("nul \0 and \x7f", 11)},
            {"invalid UTF-8: \xff\xfe, cut \xe2\x82", "fine: caf\xc3\xa9 \xe2\x82\xac"},
        };
        for (const auto& notes : notes_cases) {
            for (bool replayed : {false, true}) {
                for (std::int64_t line : {std::int64_t{1}, std::int64_t{9'223'372'036'854'775'807}}) {
                    output::ApplyResultRenderer r(output::Format::ndjson);
                    CHECK(r.add_ok(line, s, notes, replayed) == document(line, s, notes, replayed) + "\n");
                }
            }
        }
        output::ApplyResultRenderer json(output::Format::json);
        std::string out = json.begin();
        out += json.add_ok(1, s, {"n"}, false);
        out += json.add_ok(2, s, {}, true);
        out += json.finish();
        auto parsed = nlohmann::json::parse(out);
        REQUIRE(parsed.size() == 2);
        CHECK(parsed[0]["notes"][0] == "n");
        CHECK(parsed[1]["replayed"] == true);
        CHECK(parsed[1]["state"]["available_quantity"] == 7);
    }

    TEST_CASE("history rows: the state, or none inside a command, in every format") {
        auto e = sample_event();
        domain::State after{10, 7, 3, 2};
        CHECK(nlohmann::ordered_json::parse(output::history_json(e, &after))["state"].dump() ==
              R"({"soh":10,"available_quantity":7,"reserved":3,"version":2})");
        const auto inside = nlohmann::ordered_json::parse(output::history_json(e, nullptr));
        CHECK(inside["state"].is_null());
        CHECK(inside.back().is_null());  // "state" keeps its place, last
        auto render = [&](output::Format f) {
            output::EventListRenderer r(f, {}, true);
            std::string out = r.begin();
            out += r.add(e, nullptr);
            out += r.add(e, &after);
            return out + r.finish();
        };
        auto json = nlohmann::json::parse(render(output::Format::json));
        REQUIRE(json.size() == 2);
        CHECK(json[0]["state"].is_null());
        CHECK(json[1]["state"]["reserved"] == 3);
        auto csv = render(output::Format::csv);
        CHECK(csv.find(",ab,,,\r\n") != std::string::npos);
        CHECK(csv.find(",ab,10,7,3\r\n") != std::string::npos);
        auto text = render(output::Format::text);
        CHECK(text.find("-                   -         -\n") != std::string::npos);
    }

    TEST_CASE("the resolved position of a look into the past") {
        domain::SkuState s{"A", {10, 7, 3, 3}, 1'795'773'600'123};
        const output::Resolved at{"resolved_version", 3};
        CHECK(nlohmann::json::parse(output::render_state(s, output::Format::json, {}, {}, at))["resolved_version"] ==
              3);
        CHECK(output::render_state(s, output::Format::csv, {}, {}, at) ==
              "sku,soh,available_quantity,reserved,version,updated_at,resolved_version\r\n"
              "A,10,7,3,3,2026-11-27T10:00:00.123Z,3\r\n");
        CHECK(output::render_state(s, output::Format::text, {}, {}, at) ==
              output::render_state(s, output::Format::text, {}));
        auto list = [&](output::Format f) {
            output::StateListRenderer r(f, {}, output::Resolved{"resolved_seq", 9});
            std::string out = r.begin();
            out += r.add(s);
            return out + r.finish();
        };
        CHECK(nlohmann::json::parse(list(output::Format::ndjson))["resolved_seq"] == 9);
        CHECK(list(output::Format::csv) ==
              "sku,soh,available_quantity,reserved,version,updated_at,resolved_seq\r\n"
              "A,10,7,3,3,2026-11-27T10:00:00.123Z,9\r\n");
        CHECK(list(output::Format::text).find("resolved") == std::string::npos);
    }

    TEST_CASE("text tables align columns") {
        output::Table t({"sku", "soh"}, {false, true});
        t.add({"LONGER", "5"});
        t.add({"A", "100"});
        CHECK(t.render({}) == "sku     soh\nLONGER    5\nA       100\n");
    }

    TEST_CASE("errors") {
        CHECK(output::render_error("c", "m", 1, output::Format::text) == "invlog: m\n");
        CHECK(output::render_error("c", "m", 1, output::Format::json) ==
              "{\"error\":{\"code\":\"c\",\"message\":\"m\",\"exit_code\":1}}\n");
        // Invalid UTF-8 in a message never breaks the JSON error line.
        CHECK_NOTHROW(output::render_error("c", "bad \xff", 2, output::Format::json));
    }
    TEST_CASE("csv: RFC 4180 line ends; text a spreadsheet would run is defused, numbers are not") {
        CHECK(output::csv_row({"a", "b"}) == "a,b\r\n");
        CHECK(output::csv_row({"=HYPERLINK(\"x\")", "+1", "-3", "@SUM(A1)", "\tx", "-", "-12", "12-"}) ==
              "\"'=HYPERLINK(\"\"x\"\")\",'+1,-3,'@SUM(A1),'\tx,'-,-12,12-\r\n");
        CHECK(output::csv_row({"\rx"}) == "\"'\rx\"\r\n");
    }
}
