// The HTTP service without a socket, on a real file: requests in, responses
// out, writes through the group committer, reads on the thread's read-only
// connection, streamed bodies collected.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "invlog/app/group_commit.hpp"
#include "invlog/http/service.hpp"
#include "invlog/http/status.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "invlog/util/time.hpp"
#include "support/temp_dir.hpp"
#include "support/workload.hpp"

using namespace invlog;
using invlog::testing::TempDir;

namespace {

struct Fixture {
    TempDir dir;
    std::string path = dir.file("http.db");
    std::unique_ptr<store::SqliteStore> writer = invlog::testing::open_fast(path);
    app::GroupCommitter committer{*writer, util::now_ms};
    http::Service service{http::ServiceOptions{path, 5000, "http", std::nullopt}, committer};

    http::Response call(const std::string& method, const std::string& target, const std::string& body = "",
                        http::Headers headers = {}) {
        http::Request r{method, target, std::move(headers), body, "127.0.0.1"};
        http::Response res = service.handle(r);
        if (res.stream) {
            res.stream([&](std::string_view chunk) {
                res.body += chunk;
                return true;
            });
        }
        return res;
    }
};

nlohmann::json json(const http::Response& r) { return nlohmann::json::parse(r.body); }

}  // namespace

TEST_SUITE("store.http") {
    TEST_CASE("writes, reads and their statuses") {
        Fixture f;
        auto r = f.call("POST", "/inventory/A/create", "{\"soh\":10}");
        CHECK(r.status == 200);
        CHECK(json(r)["version"] == 1);
        CHECK(http::find_header(r.headers, "ETag") == "\"1\"");
        CHECK(http::find_header(r.headers, "X-Request-Id"));
        r = f.call("PATCH", "/inventory/A/reserve", "{\"quantity\":4}", {{"Content-Type", "application/json"}});
        CHECK(r.status == 200);
        CHECK(r.body == "{\"sku\":\"A\",\"soh\":10,\"reserved\":4,\"available_quantity\":6}");
        CHECK(f.call("PATCH", "/inventory/A/reserve", "{\"quantity\":40}").status == 400);
        CHECK(f.call("POST", "/inventory/A/reserve", "{\"quantity\":40}").status == 400);
        CHECK(f.call("POST", "/inventory/B/reserve", "{\"quantity\":1}").status == 404);
        CHECK(f.call("GET", "/inventory/B").status == 400);  // the reference's 400 for an unknown SKU
        CHECK(f.call("POST", "/inventory/A/reserve", "{\"quantity\":1}", {{"If-Match", "\"1\""}}).status == 409);
        CHECK(f.call("POST", "/inventory/A/reserve", "{\"quantity\":0}").status == 422);
        CHECK(f.call("GET", "/inventory/A/state").status == 200);
        CHECK(json(f.call("GET", "/inventory/A/state?at_version=1"))["available_quantity"] == 10);
        auto list = json(f.call("GET", "/inventory"));
        REQUIRE(list.size() == 1);
        CHECK(list[0]["reserved"] == 4);
        auto events = f.call("GET", "/events?after=1&format=ndjson");
        CHECK(std::count(events.body.begin(), events.body.end(), '\n') == 2);
        CHECK(json(f.call("GET", "/verify"))["ok"] == true);
        CHECK(json(f.call("GET", "/healthz"))["head_seq"] == 3);
    }

    TEST_CASE("apply: per-line savepoints, or all or nothing") {
        Fixture f;
        auto r = f.call("POST", "/apply",
                        "{\"cmd\":\"create\",\"sku\":\"A\",\"soh\":5}\n{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":9}\n"
                        "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":2}\n");
        CHECK(r.status == 400);
        CHECK(r.body.find("\"line\":2,\"ok\":false") != std::string::npos);
        CHECK(r.body.find("\"line\":3,\"ok\":true") != std::string::npos);
        r = f.call("POST", "/apply?atomic=true",
                   "{\"cmd\":\"receive\",\"sku\":\"A\",\"qty\":1}\n{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":99}\n");
        CHECK(r.status == 400);
        CHECK(r.body.find("\"line\":1") == std::string::npos);         // only the failed line
        CHECK(json(f.call("GET", "/inventory/A/state"))["soh"] == 5);  // the receive was rolled back
        CHECK(f.call("POST", "/apply", "", {{"Idempotency-Key", "k"}}).status == 422);
    }

    TEST_CASE("tokens: 401 before anything, 403 for a read-only token on a write, healthz open") {
        TempDir dir;
        const std::string path = dir.file("t.db");
        auto writer = invlog::testing::open_fast(path);
        app::GroupCommitter committer(*writer, util::now_ms);
        http::Service service(http::ServiceOptions{path, 5000, "http", http::Tokens::parse("w1\nread:r1\n")},
                              committer);
        auto call = [&](const std::string& method, const std::string& target, const std::string& token) {
            http::Headers h;
            if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
            return service.handle(http::Request{method, target, h, "{\"soh\":1}", ""}).status;
        };
        CHECK(call("GET", "/nowhere", "") == 401);
        CHECK(call("GET", "/healthz", "") == 200);
        CHECK(call("POST", "/inventory/A/create", "r1") == 403);
        CHECK(call("POST", "/inventory/A/create", "w1") == 200);
        CHECK(call("GET", "/inventory/A/state", "r1") == 200);
        CHECK(call("GET", "/nowhere", "r1") == 404);
        CHECK(call("PUT", "/inventory", "r1") == 405);
    }
}
