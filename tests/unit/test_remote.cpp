// The pure half of the CLI's client of a server (http/remote.hpp): what the
// server's renderers write decodes back into the same values, requests
// become bodies and targets the server's parsers read back as the same
// command, error bodies become the failures a local command throws, and
// URLs and streamed lines are split as they must be. No socket, no file.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "invlog/app/command_table.hpp"
#include "invlog/batch/parse_line.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/http/command_body.hpp"
#include "invlog/http/remote.hpp"
#include "invlog/http/router.hpp"
#include "invlog/output/apply_result.hpp"
#include "invlog/output/audit_reports.hpp"
#include "invlog/output/json.hpp"
#include "invlog/output/render.hpp"
#include "invlog/util/crypto.hpp"

using namespace invlog;
using namespace invlog::http;

namespace {

domain::EventRecord record(domain::Event event, std::optional<std::string> reason = std::nullopt,
                           std::optional<std::string> key = std::nullopt) {
    domain::EventRecord e;
    e.seq = 42;
    e.event_id = "01a22fa1-538a-71fb-ab58-7850ae2c2207";
    e.sku = "X/1:y";
    e.version = 7;
    e.event = event;
    e.recorded_at = 1'764'560'000'123;
    e.meta = {"al\"ice\n", std::move(reason), "01a22fa1-538a-7b6c-980e-2a0b58d7d29b", std::move(key)};
    e.hash = std::string(64, 'a');
    return e;
}

domain::Failure failure(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const domain::Failure& f) {
        return f;
    }
    FAIL("no failure");
    return domain::usage_error("none", "none");
}

Endpoint endpoint() { return parse_url("http://127.0.0.1:8000", "--db"); }

}  // namespace

TEST_SUITE("unit.remote") {
    TEST_CASE("a state, and the resolved position it carries, decode to what was rendered") {
        const domain::SkuState s{"X/1:y", domain::State{10, 7, 3, 5}, 1'764'560'000'001};
        const domain::SkuState back = remote::decode_state(output::dump_line(output::state_json(s)));
        CHECK(back.sku == s.sku);
        CHECK(back.state == s.state);
        CHECK(back.updated_at == s.updated_at);
        std::optional<std::int64_t> resolved;
        output::Json j = output::state_json(s);
        j["resolved_seq"] = 12;
        CHECK(remote::decode_state(output::dump_line(j), "resolved_seq", resolved).state == s.state);
        CHECK(resolved == 12);
        remote::decode_state(output::dump_line(output::state_json(s)), "resolved_seq", resolved);
        CHECK_FALSE(resolved);
    }

    TEST_CASE("every event type decodes to the record rendered, with or without the state after it") {
        const std::vector<domain::Event> events = {domain::InventoryCreated{10, 8, 0},
                                                   domain::SohReplaced{4},
                                                   domain::AvailableQuantityReplaced{2},
                                                   domain::StockReserved{3},
                                                   domain::AvailableQuantityDecreased{-3},
                                                   domain::ProcessedReservedDecreased{1},
                                                   domain::ProcessedReservedSohDecreased{-1},
                                                   domain::ReservationReleased{1},
                                                   domain::StockReceived{5},
                                                   domain::StockAdjusted{-2}};
        for (const auto& event : events) {
            const auto e = record(event, "a reason ✓", "key-1");
            const domain::State after{9, 4, 2, 7};
            for (const bool with_state : {false, true}) {
                const std::string line = output::history_json(e, with_state ? &after : nullptr);
                const auto back = remote::decode_event(line);
                CHECK(output::event_json(back.record) == output::event_json(e));
                CHECK(back.record.event == e.event);
                REQUIRE(back.after.has_value() == with_state);
                if (with_state) CHECK(*back.after == after);
                // Rendered again, the same bytes.
                CHECK(output::history_json(back.record, back.after ? &*back.after : nullptr) == line);
            }
        }
        const auto plain = record(domain::StockReceived{1});
        const auto back = remote::decode_event(output::event_json(plain));
        CHECK_FALSE(back.record.meta.reason);
        CHECK_FALSE(back.record.meta.idempotency_key);
        CHECK_FALSE(back.after);
    }

    TEST_CASE("an answer that is not invlog's is bad_response, exit 5") {
        for (std::string_view body :
             {"not json", "{}", "[1]", R"({"sku":"A","soh":"1"})",
              R"({"seq":1,"event_id":"x","sku":"A","version":1,"event_type":"NOPE","data":{}})"}) {
            CAPTURE(body);
            const auto f = failure([&] { remote::decode_event(body); });
            CHECK(f.code() == "bad_response");
            CHECK(f.kind() == domain::ErrorKind::storage);
        }
        CHECK(failure([] { remote::decode_state(R"({"sku":"A"})"); }).code() == "bad_response");
    }

    TEST_CASE("the stats and verify reports render the same after the trip") {
        app::Stats s;
        s.path = "/srv/stock/inventory.db";
        s.file_bytes = 53248;
        s.schema_version = 2;
        s.snapshot_every = 100;
        s.counts = {12, 3, 1, 2, 1'764'560'000'000, 1'764'560'000'999};
        s.head.seq = 12;
        for (std::size_t i = 0; i < s.head.hash.size(); ++i) s.head.hash[i] = static_cast<std::uint8_t>(i * 7);
        const std::string json = output::render_report(output::stats_report(s), output::Format::json, {});
        const app::Stats back = remote::decode_stats(json, "http://h:1");
        CHECK(back.path == "http://h:1");
        {  // the same report once the path is put back
            app::Stats again = back;
            again.path = s.path;
            for (auto f : {output::Format::json, output::Format::text, output::Format::csv})
                CHECK(output::render_report(output::stats_report(again), f, {}) ==
                      output::render_report(output::stats_report(s), f, {}));
        }
        app::Stats empty;
        const app::Stats none =
            remote::decode_stats(output::render_report(output::stats_report(empty), output::Format::json, {}), "u");
        CHECK_FALSE(none.counts.first_recorded_at);
        CHECK(none.head.seq == 0);

        app::VerifyReport r;
        r.events = 9;
        r.skus = 2;
        r.snapshots = 1;
        r.idempotency_keys = 3;
        r.first_recorded_at = 1;
        r.last_recorded_at = 2;
        r.head_seq = 9;
        r.head_hash = std::string(64, 'b');
        r.problems = {{4, "A", "hash_mismatch", "the hash of seq 4 ..."}, {0, "", "unknown_setting", "x"}};
        r.notices = {{5, "B", "clock_behind", "held"}};
        for (auto f : {output::Format::json, output::Format::text, output::Format::csv, output::Format::ndjson}) {
            const auto back_report =
                remote::decode_verify(output::render_report(output::verify_report("p", r), output::Format::json, {}));
            CHECK(output::render_report(output::verify_report("p", back_report), f, {}) ==
                  output::render_report(output::verify_report("p", r), f, {}));
        }
    }

    TEST_CASE("apply result lines decode to the outcome or the error, its kind from exit_code") {
        output::ApplyResultRenderer renderer(output::Format::ndjson);
        const domain::SkuState s{"A", domain::State{5, 4, 1, 3}, 1'000};
        auto ok = remote::decode_apply_line(renderer.add_ok(3, s, {"a note"}, true));
        CHECK(ok.line == 3);
        const auto& outcome = std::get<app::Outcome>(ok.result);
        CHECK(outcome.state.state == s.state);
        CHECK(outcome.replayed);
        CHECK(outcome.notes == std::vector<std::string>{"a note"});
        const std::vector<std::pair<domain::ErrorKind, int>> kinds = {
            {domain::ErrorKind::rejected, 1}, {domain::ErrorKind::usage, 2},   {domain::ErrorKind::not_found, 3},
            {domain::ErrorKind::conflict, 4}, {domain::ErrorKind::storage, 5}, {domain::ErrorKind::integrity, 6}};
        for (const auto& [kind, code] : kinds) {
            auto bad = remote::decode_apply_line(renderer.add_error(9, "some_code", "a message", code));
            const auto& e = std::get<batch::LineError>(bad.result);
            CHECK(bad.line == 9);
            CHECK(e.kind == kind);
            CHECK(e.code == "some_code");
            CHECK(e.message == "a message");
        }
    }

    TEST_CASE("an error body becomes the local failure; 401 and 403 exit 5 and say what to do") {
        const std::vector<std::pair<int, domain::ErrorKind>> kinds = {
            {1, domain::ErrorKind::rejected}, {2, domain::ErrorKind::usage},   {3, domain::ErrorKind::not_found},
            {4, domain::ErrorKind::conflict}, {5, domain::ErrorKind::storage}, {6, domain::ErrorKind::integrity}};
        for (const auto& [exit_code, kind] : kinds) {
            const auto f = remote::failure_of(
                400,
                fmt::format(R"({{"detail":"cannot reserve 8 of A: only 7 available","code":"c","exit_code":{}}})",
                            exit_code),
                endpoint(), false);
            CHECK(f.kind() == kind);
            CHECK(f.code() == "c");
            CHECK(std::string(f.what()) == "cannot reserve 8 of A: only 7 available");
        }
        auto none = remote::failure_of(401, R"({"detail":"x","code":"unauthorized","exit_code":2})", endpoint(), false);
        CHECK(none.code() == "unauthorized");
        CHECK(none.kind() == domain::ErrorKind::storage);
        CHECK(std::string(none.what()).find("127.0.0.1:8000 requires a token") != std::string::npos);
        auto wrong = remote::failure_of(401, "", endpoint(), true);
        CHECK(std::string(wrong.what()).find("refused the token") != std::string::npos);
        auto read_only = remote::failure_of(403, "", endpoint(), true);
        CHECK(read_only.code() == "forbidden");
        CHECK(read_only.kind() == domain::ErrorKind::storage);
        auto proxy = remote::failure_of(502, "<html>bad gateway</html>", endpoint(), false);
        CHECK(proxy.code() == "bad_response");
        CHECK(std::string(proxy.what()).find("HTTP 502") != std::string::npos);
    }

    TEST_CASE("every command of the table reaches the server as the same command") {
        for (const auto& spec : app::command_table()) {
            CAPTURE(spec.name);
            app::CommandInput input;
            input.sku = "X/1:y";
            for (const auto& f : spec.fields) input.values.emplace_back(f.type == app::FieldType::delta ? -4 : 4);
            input.actor = "al\"ice";
            input.reason = "why ✓";
            input.expected_version = 0;
            input.idempotency_key = "key 1";
            const app::Request request = app::make_request(spec, input, [](const app::FieldSpec*) { return "x"; });
            const Target target = parse_target(remote::command_target(request));
            REQUIRE(target.segments.size() == 3);
            CHECK(target.segments[1] == "X/1:y");
            CHECK(target.segments[2] == spec.name);
            Headers headers;
            for (auto& [k, v] : remote::command_headers(request)) headers.emplace_back(k, v);
            const app::Request back =
                parse_command(spec, target.segments[1], remote::command_body(request), headers, {"server"});
            CHECK(domain::fingerprint(back.sku, back.command) == domain::fingerprint(request.sku, request.command));
            CHECK(back.actor == request.actor);
            CHECK(back.reason == request.reason);
            CHECK(back.expected_version == 0);
            CHECK(back.idempotency_key == "key 1");
        }
    }

    TEST_CASE("apply lines get the CLI's actor and reason only where they give none") {
        const batch::Defaults defaults{"tester", std::string("batch")};
        auto parsed = [&](std::string_view line) {
            return batch::parse_line(remote::apply_line(line, defaults), batch::Defaults{"server", std::nullopt});
        };
        auto a = parsed(R"({"cmd":"receive","sku":"A","qty":1})");
        CHECK(a.actor == "tester");
        CHECK(a.reason == "batch");
        auto b = parsed(R"(  {"cmd":"receive","sku":"A","qty":1,"actor":"bob","reason":null} )");
        CHECK(b.actor == "bob");
        CHECK_FALSE(b.reason);
        CHECK(remote::apply_line("{}", defaults) == R"({"actor":"tester","reason":"batch"})");
        CHECK(remote::apply_line("{ }", {"t", std::nullopt}) == R"({"actor":"t" })");
        // Anything that is not an object goes as it is, for the server to refuse as apply does.
        for (std::string_view line : {"not json", "[1]", "{\"a\":1", "3", "{\"cmd\":\"x\",\"cmd\":\"y\"} x"})
            CHECK(remote::apply_line(line, defaults) == line);
    }

    TEST_CASE("targets: the SKU as one path segment, the query as the server reads it") {
        app::HistoryQuery h{"a/b c", 1'000, std::nullopt};
        const Target t = parse_target(remote::history_target(h));
        CHECK(t.segments == std::vector<std::string>{"inventory", "a/b c", "history"});
        CHECK(t.query.find("since")->second == "1970-01-01T00:00:01.000Z");
        CHECK(t.query.find("format")->second == "ndjson");
        store::EventFilter f;
        f.sku = "A";
        f.after_seq = 3;
        f.limit = 2;
        const Target e = parse_target(remote::events_target(f));
        CHECK(e.query.find("after")->second == "3");
        CHECK(e.query.find("limit")->second == "2");
        CHECK(e.query.find("until") == e.query.end());
        const Target l = parse_target(remote::list_target(std::nullopt, 0));
        CHECK(l.query.find("at_seq")->second == "0");
        const Target s = parse_target(remote::state_target("A", app::At{4, std::nullopt}));
        CHECK(s.segments == std::vector<std::string>{"inventory", "A", "state"});
        CHECK(s.query.find("at_version")->second == "4");
        app::VerifyOptions v;
        v.expect_head = std::string(64, 'c');
        v.expect = {{3, std::string(64, 'd')}};
        const Target vt = parse_target(remote::verify_target(v));
        CHECK(vt.query.find("expect")->second == std::string(64, 'd') + "@3");
        batch::Options atomic;
        atomic.atomic = true;
        CHECK(remote::apply_target(atomic) == "/apply?atomic=true");
    }

    TEST_CASE("server URLs") {
        auto e = parse_url("https://stock.example:8443/invlog/", "--db");
        CHECK(e.tls);
        CHECK(e.host == "stock.example");
        CHECK(e.port == 8443);
        CHECK(e.prefix == "/invlog");
        CHECK(e.where() == "stock.example:8443");
        CHECK(parse_url("http://h", "--db").port == 80);
        CHECK(parse_url("https://h", "--db").port == 443);
        auto v6 = parse_url("http://[::1]:9000", "--db");
        CHECK(v6.host == "[::1]");
        CHECK(v6.origin() == "http://[::1]:9000");
        CHECK(is_url("http://x"));
        CHECK_FALSE(is_url("./http:x.db"));
        for (std::string_view bad :
             {"http://", "http://:80", "http://h:0", "http://h:65536", "http://h:", "http://h:8x", "http://h/?a=1",
              "http://h#f", "http://::1:80", "http://[::1", "http://h h"}) {
            CAPTURE(bad);
            CHECK(failure([&] { parse_url(bad, "--db"); }).kind() == domain::ErrorKind::usage);
        }
        const auto secret = failure([] { parse_url("http://u:hunter2@h:1", "--db"); });
        CHECK(std::string(secret.what()).find("hunter2") == std::string::npos);
        CHECK(failure([] { check_token("a b", "INVLOG_TOKEN"); }).kind() == domain::ErrorKind::usage);
        CHECK(std::string(failure([] { check_token("sec\nret", "INVLOG_TOKEN"); }).what()).find("sec") ==
              std::string::npos);
    }

    TEST_CASE("streamed lines are whole however the chunks fall") {
        const std::string text = "{\"a\":1}\n{\"b\":22}\n\n{\"c\":333}";
        for (std::size_t size = 1; size <= text.size(); ++size) {
            remote::LineSplitter splitter;
            std::vector<std::string> lines;
            auto fn = [&](std::string_view l) {
                lines.emplace_back(l);
                return true;
            };
            for (std::size_t i = 0; i < text.size(); i += size)
                splitter.feed(std::string_view(text).substr(i, size), fn);
            splitter.finish(fn);
            CHECK(lines == std::vector<std::string>{"{\"a\":1}", "{\"b\":22}", "", "{\"c\":333}"});
        }
        remote::LineSplitter splitter;
        int seen = 0;
        CHECK_FALSE(splitter.feed("1\n2\n3\n", [&](std::string_view) { return ++seen < 2; }));
        CHECK(seen == 2);
    }
}
