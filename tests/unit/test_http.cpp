// The pure parts of the HTTP adapter: targets and routes, Python's JSON
// errors and float repr, pydantic's validation entries, command bodies,
// statuses, tokens and log lines. No socket, no file.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <set>
#include <thread>

#include "invlog/domain/error.hpp"
#include "invlog/http/access_log.hpp"
#include "invlog/http/auth.hpp"
#include "invlog/http/command_body.hpp"
#include "invlog/http/openapi.hpp"
#include "invlog/http/params.hpp"
#include "invlog/http/pyjson.hpp"
#include "invlog/http/reference.hpp"
#include "invlog/http/router.hpp"
#include "invlog/http/status.hpp"
#include "invlog/store/event_store.hpp"
#include "invlog/util/crypto.hpp"
#include "invlog/util/time.hpp"

using namespace invlog;
using namespace invlog::http;

namespace {

// The 422 (or 400) body a reference route answers, or "ok".
std::string reference(ReferenceModel model, std::string_view body,
                      std::optional<std::string> content_type = std::string("application/json")) {
    auto r = validate_reference_body(model, body, content_type);
    if (auto* response = std::get_if<Response>(&r)) return std::to_string(response->status) + " " + response->body;
    return "ok";
}

// A row of the command table; the test stops here, not in a null
// dereference, if the name is gone.
const app::CommandSpec& command(std::string_view name) {
    const auto* spec = app::find_command(name);
    REQUIRE(spec);
    return *spec;
}

std::string usage_code(const std::function<void()>& f) {
    try {
        f();
    } catch (const domain::Failure& e) {
        CHECK(e.kind() == domain::ErrorKind::usage);
        return e.code();
    }
    return "none";
}

}  // namespace

TEST_SUITE("unit.http.router") {
    TEST_CASE("the path is split on the raw target, then decoded: a SKU may hold %2F") {
        Target t = parse_target("/inventory/A%2F1/reserve?as_of=2026-01-01&x=a+b%20c");
        REQUIRE(t.segments.size() == 3);
        CHECK(t.segments[1] == "A/1");
        CHECK(t.query.find("x")->second == "a b c");
        CHECK(parse_target("/inventory/bad%zz").segments[1] == "bad%zz");
    }

    TEST_CASE("routes: reference and invlog routes share paths; 404 and 405 with Allow") {
        auto m = match("PATCH", {"inventory", "A", "reserve"});
        REQUIRE(m.route);
        CHECK(m.route->id == RouteId::ref_reserve);
        m = match("POST", {"inventory", "A", "reserve"});
        REQUIRE(m.route);
        CHECK(m.route->id == RouteId::command);
        CHECK(m.command->name == "reserve");
        CHECK(m.sku == "A");
        m = match("GET", {"inventory", "A", "reserve"});
        CHECK_FALSE(m.route);
        CHECK(m.allow == std::vector<std::string>{"PATCH", "POST"});
        m = match("POST", {"inventory", "create"});
        REQUIRE(m.route);
        CHECK(m.route->id == RouteId::ref_create);
        m = match("GET", {"inventory", "create"});
        CHECK(m.route->id == RouteId::ref_show);  // a SKU named create
        CHECK(match("DELETE", {"inventory", "create"}).allow == std::vector<std::string>{"GET", "POST"});
        CHECK(match("GET", {"nowhere"}).allow.empty());
        CHECK(match("POST", {"inventory", "A", "explode"}).allow.empty());
        CHECK(match("POST", {"inventory", "", "reserve"}).allow.empty());  // no empty SKU
        CHECK(match("HEAD", {"healthz"}).route->id == RouteId::healthz);
    }

    TEST_CASE("every command table row has a route") {
        for (const auto& spec : app::command_table()) {
            auto m = match("POST", {"inventory", "A", std::string(spec.name)});
            REQUIRE(m.route);
            CHECK(m.command == &spec);
        }
    }
}

TEST_SUITE("unit.http.params") {
    TEST_CASE("paging: limit from 1 to max_page_rows, after a SKU; anything else is a 422 usage failure") {
        auto page = [](std::string_view target) {
            const Target t = parse_target(target);
            return page_of(Params(t, {"limit", "after", "format"}));
        };
        Page none = page("/inventory");
        CHECK_FALSE(none.limit);
        CHECK_FALSE(none.after);
        Page p = page("/inventory?limit=100&after=A%2F1");
        CHECK(p.limit == 100);
        CHECK(p.after == "A/1");
        CHECK(page("/inventory?limit=1").limit == 1);
        CHECK(page("/inventory?limit=10000").limit == max_page_rows);
        for (const std::string& bad :
             std::vector<std::string>{"/inventory?limit=0", "/inventory?limit=10001", "/inventory?limit=-1",
                                      "/inventory?limit=abc", "/inventory?limit=", "/inventory?limit=1.5",
                                      "/inventory?limit=99999999999999999999",
                                      "/inventory?after=", "/inventory?after=a%20b", "/inventory?after=%00",
                                      "/inventory?after=" + std::string(65, 'A')}) {
            CAPTURE(bad);
            CHECK(usage_code([&] { page(bad); }) == "invalid_argument");
        }
        CHECK(usage_code([&] { page("/inventory?limit=1&limit=2"); }) == "duplicate_parameter");
        CHECK(usage_code([&] { page("/inventory?cursor=A"); }) == "unknown_parameter");
        try {
            page("/inventory?limit=20000");
            FAIL("no failure");
        } catch (const domain::Failure& e) {
            CHECK(std::string(e.what()) ==
                  "invalid query parameter limit '20000': expected a whole number from 1 to 10000");
            CHECK(status_of(e.kind(), e.code()) == 422);
        }
    }

    TEST_CASE("the next page: the same query, after set to the last SKU, percent-encoded") {
        CHECK(next_page_target("/inventory", parse_target("/inventory?limit=2"), "B-2") ==
              "/inventory?limit=2&after=B-2");
        CHECK(next_page_target("/inventory", parse_target("/inventory?limit=2&after=A&below=5&format=ndjson"), "A/7") ==
              "/inventory?below=5&format=ndjson&limit=2&after=A%2F7");
        const Target next = parse_target(next_page_target("/inventory", parse_target("/inventory?limit=3"), "x/y:z"));
        CHECK(next.query.find("after")->second == "x/y:z");
        CHECK(next.query.count("after") == 1);
    }

    TEST_CASE("a prefix's successor bounds the SKUs that start with it") {
        CHECK(store::prefix_successor("A-") == "A.");
        CHECK(store::prefix_successor("abz") == "ab{");
        CHECK(store::prefix_successor("") == std::nullopt);
        CHECK(store::prefix_successor("a\xff") == "b");
        CHECK(store::prefix_successor("\xff\xff") == std::nullopt);
        for (std::string sku : {"A-", "A-1", "A-zzzz", "A-/"}) CHECK((sku >= "A-" && sku < "A."));
        CHECK_FALSE(std::string("A.") < *store::prefix_successor("A-"));
    }
}

TEST_SUITE("unit.http.pyjson") {
    TEST_CASE("decode errors: Python 3.11's messages and character positions") {
        struct Case {
            std::string body, msg;
            std::size_t pos;
        };
        const Case cases[] = {
            {" ", "Expecting value", 1},
            {"{", "Expecting property name enclosed in double quotes", 1},
            {"{\"a\"", "Expecting ':' delimiter", 4},
            {"{\"a\":", "Expecting value", 5},
            {"{\"a\":1", "Expecting ',' delimiter", 6},
            {"{\"a\":1,}", "Expecting property name enclosed in double quotes", 7},
            {"[1,]", "Expecting value", 3},
            {"[1 2]", "Expecting ',' delimiter", 3},
            {"{a:1}", "Expecting property name enclosed in double quotes", 1},
            {"\"abc", "Unterminated string starting at", 0},
            {"\"a\\x\"", "Invalid \\escape", 2},
            {"\"\\u12\"", "Invalid \\uXXXX escape", 2},
            {"\"\\u12G4\"", "Invalid \\uXXXX escape", 2},
            {"1 2", "Extra data", 2},
            {"tru", "Expecting value", 0},
            {"{\"a\":\"b\nc\"}", "Invalid control character at", 7},
            {"01", "Extra data", 1},
            {"-a", "Expecting value", 0},
            {"1.", "Extra data", 1},
            {"{\"quantity\": 5} x", "Extra data", 16},
            {"{\"\xC3\xA9\": x}", "Expecting value", 6},  // characters, not bytes
            {"[1,2", "Expecting ',' delimiter", 4},
        };
        for (const auto& c : cases) {
            CAPTURE(c.body);
            auto loaded = py::loads(c.body);
            REQUIRE(loaded.error);
            CHECK(loaded.error->msg == c.msg);
            CHECK(loaded.error->pos == c.pos);
        }
    }

    TEST_CASE("values: NaN, big integers, duplicate keys, surrogate pairs, a BOM") {
        auto v = py::loads("{\"a\":1,\"b\":NaN,\"a\":123456789012345678901234567890,\"s\":\"\\ud83d\\ude00\"}");
        REQUIRE(v.value);
        CHECK(py::dumps(*v.value) == "{\"a\":123456789012345678901234567890,\"b\":\"NaN\",\"s\":\"\xF0\x9F\x98\x80\"}");
        CHECK(py::loads("\xEF\xBB\xBF{}").value);
        CHECK_FALSE(py::loads("\xFF{}").value);  // not UTF-8: neither a value nor a JSONDecodeError
        CHECK_FALSE(py::loads("\xFF{}").error);
        CHECK_FALSE(py::loads(std::string(600, '[')).error);  // too deep: Python's RecursionError
    }

    TEST_CASE("floats as Python's repr writes them") {
        CHECK(py::float_repr(5.0) == "5.0");
        CHECK(py::float_repr(1e16) == "1e+16");
        CHECK(py::float_repr(9999999999999998.0) == "9999999999999998.0");
        CHECK(py::float_repr(0.0001) == "0.0001");
        CHECK(py::float_repr(0.00001) == "1e-05");
        CHECK(py::float_repr(1.5e-7) == "1.5e-07");
        CHECK(py::float_repr(123456.789) == "123456.789");
        CHECK(py::float_repr(-0.0) == "-0.0");
        CHECK(py::float_repr(1e300) == "1e+300");
        CHECK(py::float_repr(0.1) == "0.1");
    }
}

TEST_SUITE("unit.http.reference") {
    TEST_CASE("pydantic v2 entries, all errors of a body in field order") {
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":0}") ==
              "422 {\"detail\":[{\"type\":\"greater_than\",\"loc\":[\"body\",\"quantity\"],\"msg\":\"Input should be "
              "greater than 0\",\"input\":0,\"ctx\":{\"gt\":0}}],\"code\":\"invalid_argument\",\"exit_code\":2}");
        CHECK(reference(ReferenceModel::quantity, "{}") ==
              "422 {\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"quantity\"],\"msg\":\"Field "
              "required\",\"input\":{}}],\"code\":\"invalid_argument\",\"exit_code\":2}");
        CHECK(reference(ReferenceModel::create, "{\"sku\":5,\"soh\":\"x\",\"available_quantity\":1.5}") ==
              "422 {\"detail\":[{\"type\":\"string_type\",\"loc\":[\"body\",\"sku\"],\"msg\":\"Input should be a "
              "valid string\",\"input\":5},{\"type\":\"int_parsing\",\"loc\":[\"body\",\"soh\"],\"msg\":\"Input "
              "should be a valid integer, unable to parse string as an integer\",\"input\":\"x\"},{\"type\":\"int_"
              "from_float\",\"loc\":[\"body\",\"available_quantity\"],\"msg\":\"Input should be a valid integer, got "
              "a number with a fractional part\",\"input\":1.5}],\"code\":\"invalid_argument\",\"exit_code\":2}");
        CHECK(reference(ReferenceModel::quantity, "") ==
              "422 {\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\"],\"msg\":\"Field required\",\"input\":null}],"
              "\"code\":\"invalid_argument\",\"exit_code\":2}");
        CHECK(reference(ReferenceModel::quantity, "[1]") ==
              "422 {\"detail\":[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],\"msg\":\"Input should be a "
              "valid dictionary or object to extract fields from\",\"input\":[1]}],\"code\":\"invalid_argument\","
              "\"exit_code\":2}");
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":") ==
              "422 {\"detail\":[{\"type\":\"json_invalid\",\"loc\":[\"body\",12],\"msg\":\"JSON decode error\","
              "\"input\":{},\"ctx\":{\"error\":\"Expecting value\"}}],\"code\":\"invalid_argument\",\"exit_code\":2}");
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":null}").find("\"int_type\"") != std::string::npos);
        // A lone surrogate (found by fuzz_http_request) is echoed as U+FFFD:
        // the answer stays JSON that any parser takes.
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":\"\\ude00\"}") ==
              "422 {\"detail\":[{\"type\":\"int_parsing\",\"loc\":[\"body\",\"quantity\"],\"msg\":\"Input should be "
              "a valid integer, unable to parse string as an integer\",\"input\":\"\xEF\xBF\xBD\"}],\"code\":"
              "\"invalid_argument\",\"exit_code\":2}");
    }

    TEST_CASE("lax mode: strings of digits, whole floats and booleans are integers") {
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":\"5\"}") == "ok");
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":\" 5 \"}") == "ok");
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":\"5.00\"}") == "ok");
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":\"1_000\"}") == "ok");
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":5.0}") == "ok");
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":true}") == "ok");
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":false}").find("\"greater_than\"") !=
              std::string::npos);
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":\"0x10\"}").find("\"int_parsing\"") !=
              std::string::npos);
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":Infinity}").find("\"finite_number\"") !=
              std::string::npos);
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":1,\"extra\":[1]}") == "ok");
    }

    TEST_CASE("FastAPI's Content-Type rule: JSON only for none or application/(*+)json") {
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":1}", std::nullopt) == "ok");
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":1}", "application/json; charset=utf-8") == "ok");
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":1}", "application/merge-patch+json") == "ok");
        CHECK(reference(ReferenceModel::quantity, "{\"quantity\":1}", "application/x-www-form-urlencoded") ==
              "422 {\"detail\":[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],\"msg\":\"Input should be a "
              "valid dictionary or object to extract fields from\",\"input\":\"{\\\"quantity\\\":1}\"}],\"code\":"
              "\"invalid_argument\",\"exit_code\":2}");
        CHECK(reference(ReferenceModel::quantity, "\xFF", std::nullopt).starts_with("400 "));
    }
}

TEST_SUITE("unit.http.command") {
    TEST_CASE("a command body becomes a request; headers carry the key and the version") {
        const auto* spec = &command("set-soh");
        Headers h = {{"idempotency-key", "k-1"}, {"If-Match", "\"3\""}};
        app::Request r = parse_command(*spec, "A/1", "{\"soh\":10,\"available_quantity\":4,\"reason\":\"count\"}", h,
                                       CommandDefaults{"http"});
        CHECK(r.sku == "A/1");
        CHECK(std::get<domain::SetSoh>(r.command).soh == 10);
        CHECK(std::get<domain::SetSoh>(r.command).available == 4);
        CHECK(r.reason == "count");
        CHECK(r.actor == "http");
        CHECK(r.idempotency_key == "k-1");
        CHECK(r.expected_version == 3);
        app::Request adjust =
            parse_command(command("adjust"), "A", "{\"quantity\":-2,\"reason\":\"x\",\"actor\":\"bob\"}", {},
                          CommandDefaults{"http"});
        CHECK(std::get<domain::Adjust>(adjust.command).delta == -2);
        CHECK(adjust.actor == "bob");
        const app::Request receive =
            parse_command(command("receive"), "A", "{\"quantity\":2,\"reason\":null}", {}, {"h"});
        CHECK(std::get<domain::Receive>(receive.command).qty == 2);
        CHECK_FALSE(receive.reason);  // null: not given
    }

    TEST_CASE("the same strictness as apply lines") {
        const auto* reserve = &command("reserve");
        auto code = [&](std::string body, Headers h = {}, std::string sku = "A") {
            return usage_code([&] { parse_command(*reserve, sku, body, h, {"http"}); });
        };
        CHECK(code("{\"quantity\":\"3\"}") == "invalid_argument");
        CHECK(code("{\"quantity\":3.0}") == "invalid_argument");
        CHECK(code("{\"quantity\":true}") == "invalid_argument");
        CHECK(code("{\"quantity\":0}") == "invalid_argument");
        CHECK(code("{\"quantity\":1000000000001}") == "invalid_argument");
        CHECK(code("{\"quantity\":99999999999999999999}") == "invalid_argument");
        CHECK(code("{\"qty\":3}") == "unknown_field");
        CHECK(code("{\"quantity\":3,\"quantity\":3}") == "duplicate_field");
        CHECK(code("") == "missing_field");
        CHECK(code("[3]") == "not_an_object");
        CHECK(code("{\"quantity\":") == "invalid_json");
        CHECK(code("{\"quantity\":3}", {{"If-Match", "abc"}}) == "invalid_argument");
        CHECK(code("{\"quantity\":3}", {{"Idempotency-Key", ""}}) == "invalid_argument");
        CHECK(code("{\"quantity\":3}", {}, "a b") == "invalid_argument");
        CHECK(usage_code([] { parse_command(command("adjust"), "A", "{\"quantity\":2}", {}, {"h"}); }) ==
              "missing_reason");
    }

    TEST_CASE("a body is read as an apply line is: NUL bytes refused, echoed values made safe") {
        const auto* reserve = app::find_command("reserve");
        auto message = [&](std::string_view body) {
            try {
                parse_command(*reserve, "A", body, {}, {"http"});
            } catch (const domain::Failure& f) {
                return std::string(f.code()) + ": " + f.what();
            }
            return std::string("accepted");
        };
        // The lexer would take the NUL for the end of the input and accept the object before it.
        CHECK(message(std::string_view("{\"quantity\":3}\0{", 16)) ==
              "invalid_json: invalid JSON at byte 14: a NUL byte");
        // A key with a control character and a bidi override is shown escaped, as apply shows it.
        CHECK(message("{\"a\\u001b\\u202e\":1}").starts_with("unknown_field: unknown field \"a\\x1b\\u202e\""));
        CHECK(message(R"({"quantity":{"a":1}})").find("value {...}") != std::string::npos);
    }
}

TEST_SUITE("unit.http.status") {
    TEST_CASE("kinds to statuses, in one place") {
        CHECK(status_of(domain::ErrorKind::rejected, "insufficient_available") == 400);
        CHECK(status_of(domain::ErrorKind::usage, "invalid_argument") == 422);
        CHECK(status_of(domain::ErrorKind::not_found, "sku_not_found") == 404);
        CHECK(status_of(domain::ErrorKind::conflict, "version_conflict") == 409);
        CHECK(status_of(domain::ErrorKind::storage, "io_error") == 500);
        CHECK(status_of(domain::ErrorKind::storage, "locked") == 503);
        CHECK(status_of(domain::ErrorKind::storage, "overloaded") == 503);
        CHECK(status_of(domain::ErrorKind::storage, "write_conflict") == 503);
        CHECK(status_of(domain::ErrorKind::integrity, "undecodable_event") == 500);
        Response r = error_response(domain::ErrorKind::storage, "overloaded", "busy");
        CHECK(r.body == "{\"detail\":\"busy\",\"code\":\"overloaded\",\"exit_code\":5}");
        CHECK(find_header(r.headers, "retry-after") == "1");
        Response ref = reference_error_response(domain::Failure(domain::ErrorKind::not_found, "sku_not_found", "x"));
        CHECK(ref.status == 400);
        CHECK(ref.body == "{\"detail\":\"x\",\"code\":\"sku_not_found\",\"exit_code\":3}");
    }
}

TEST_SUITE("unit.http.auth") {
    TEST_CASE("tokens: write, read-only, comments; anything else is none") {
        Tokens t = Tokens::parse("# tokens\nsecret-w\n\nread: secret-r  \n");
        CHECK(t.size() == 2);
        CHECK(t.check(std::string("Bearer secret-w")) == Access::write);
        CHECK(t.check(std::string("bearer secret-r")) == Access::read);
        CHECK(t.check(std::string("Bearer secret")) == Access::none);
        CHECK(t.check(std::string("Bearer read:secret-r")) == Access::none);
        CHECK(t.check(std::string("Basic secret-w")) == Access::none);
        CHECK(t.check(std::nullopt) == Access::none);
    }
}

TEST_SUITE("unit.http.log") {
    TEST_CASE("an access line is one JSON object with the documented keys") {
        AccessEntry e{"PATCH", "/inventory/A/reserve", 200, 1.23456, "rid-1", "A", "127.0.0.1"};
        const std::string line = access_line(e, 1'795'773'600'000);
        CHECK(line.back() == '\n');
        auto j = nlohmann::json::parse(line);
        CHECK(j["time"] == "2026-11-27T10:00:00.000Z");
        CHECK(j["status"] == 200);
        CHECK(j["duration_ms"] == doctest::Approx(1.235));
        CHECK(j["sku"] == "A");
        CHECK(j["request_id"] == "rid-1");
    }

    TEST_CASE("the OpenAPI document has a POST for every command and the reference routes") {
        auto doc = nlohmann::json::parse(openapi_document());
        CHECK(doc["openapi"] == "3.1.0");
        for (const auto& spec : app::command_table())
            CHECK(doc["paths"].contains("/inventory/{sku}/" + std::string(spec.name)));
        CHECK(doc["paths"]["/inventory/{sku}/reserve"].contains("patch"));
        CHECK(doc["paths"]["/inventory/{sku}/reserve"].contains("post"));
        CHECK(doc["paths"]["/inventory/create"].contains("post"));
    }
}

TEST_SUITE("unit.http.ids") {
    TEST_CASE("UUIDs made on many threads at once are distinct and well formed") {
        // The server makes request ids on its connection threads and command
        // ids on the writer thread at the same time; before the random pool
        // took a lock, they raced on it (a crash under load, and repeated ids).
        constexpr int threads = 8, each = 20000;
        std::vector<std::vector<std::string>> made(threads);
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t)
            workers.emplace_back([&made, t] {
                for (int i = 0; i < each; ++i) made[t].push_back(util::uuid_v7(util::now_ms()));
            });
        for (auto& w : workers) w.join();
        std::set<std::string> all;
        for (const auto& ids : made) {
            for (std::size_t i = 0; i < ids.size(); ++i) {
                auto parsed = util::parse_uuid(ids[i]);
                if (!parsed || !util::uuid_v7_ms(*parsed)) FAIL("malformed id " << ids[i]);
                all.insert(ids[i]);
            }
        }
        CHECK(all.size() == static_cast<std::size_t>(threads * each));
    }
}
