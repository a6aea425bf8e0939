// The dashboard beside the API in the HTTP service, on a real file: pages
// need no token while the API does, /events is the page only for a client
// that prefers HTML, GET /exports, and a server's reader that sees commits
// made after it was opened.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "invlog/app/group_commit.hpp"
#include "invlog/http/service.hpp"
#include "invlog/store/export_positions.hpp"
#include "invlog/util/time.hpp"
#include "support/temp_dir.hpp"
#include "support/workload.hpp"

using namespace invlog;
using invlog::testing::TempDir;

namespace {

const std::vector<http::Asset> assets = {
    {"index.html", "text/html; charset=utf-8", "\"page\"", "<!doctype html>page"},
    {"app.js", "text/javascript; charset=utf-8", "\"js\"", "import './x.js';"},
};

constexpr const char* browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

http::Response collect(http::Response res) {
    if (res.stream) {
        res.stream([&](std::string_view chunk) {
            res.body += chunk;
            return true;
        });
    }
    return res;
}

}  // namespace

TEST_SUITE("store.dashboard") {
    TEST_CASE("pages without a token, the API with one; /events by Accept") {
        TempDir dir;
        const std::string path = dir.file("d.db");
        auto writer = invlog::testing::open_fast(path);
        app::GroupCommitter committer{*writer, util::now_ms};
        http::ServiceOptions options{path, 5000, "http", http::Tokens::parse("read:r-token\n"), &assets};
        http::Service service{options, committer};
        auto get = [&](const std::string& target, http::Headers headers = {}) {
            return collect(service.handle(http::Request{"GET", target, std::move(headers), "", "127.0.0.1"}));
        };

        for (const char* page : {"/", "/sku/A-1", "/sku/A%2F1", "/audit"}) {
            CAPTURE(page);
            const auto r = get(page);
            CHECK(r.status == 200);
            CHECK(r.content_type == "text/html; charset=utf-8");
            CHECK(r.body == "<!doctype html>page");
            CHECK(http::find_header(r.headers, "Content-Security-Policy")->find("script-src 'self'") !=
                  std::string::npos);
        }
        CHECK(get("/dashboard/app.js").body == "import './x.js';");
        CHECK(get("/dashboard/index.html").status == 401);  // not a file of /dashboard/: the API's answer
        CHECK(get("/dashboard/other.js").status == 401);

        // /events: the feed for any client that does not put HTML first.
        CHECK(get("/events").status == 401);
        CHECK(get("/events", {{"Accept", "*/*"}}).status == 401);
        CHECK(get("/events", {{"Accept", "application/json, text/html"}}).status == 401);
        const auto page = get("/events?after=3", {{"Accept", browser_accept}});
        CHECK(page.status == 200);
        CHECK(http::find_header(page.headers, "Vary") == "Accept");
        const auto feed = get("/events", {{"Authorization", "Bearer r-token"}});
        CHECK(feed.status == 200);
        CHECK(feed.content_type == "application/json");
        CHECK(service.refuse_early(http::Request{"GET", "/", {}, "", ""}) == std::nullopt);
        CHECK(service.refuse_early(http::Request{"GET", "/events", {}, "", ""})->status == 401);
    }

    TEST_CASE("GET /exports: each destination's position and lag") {
        TempDir dir;
        const std::string path = dir.file("e.db");
        auto writer = invlog::testing::open_fast(path);
        app::GroupCommitter committer{*writer, util::now_ms};
        http::Service service{http::ServiceOptions{path, 5000, "http", std::nullopt}, committer};
        auto call = [&](const std::string& method, const std::string& target, const std::string& body = "") {
            return collect(service.handle(http::Request{method, target, {}, body, "127.0.0.1"}));
        };
        CHECK(call("GET", "/exports").body == "[]");
        REQUIRE(call("POST", "/inventory/A/create", "{\"soh\":10}").status == 200);
        REQUIRE(call("POST", "/inventory/A/reserve", "{\"quantity\":2}").status == 200);
        writer->write_export_position("mongodb://h/db.inventory", 1, 1'780'000'000'000);
        const auto list = nlohmann::json::parse(call("GET", "/exports").body);
        REQUIRE(list.size() == 1);
        CHECK(list[0]["destination"] == "mongodb://h/db.inventory");
        CHECK(list[0]["last_seq"] == 1);
        CHECK(list[0]["head_seq"] == 3);
        CHECK(list[0]["lag"] == 2);
        CHECK(list[0]["updated_at"] == "2026-05-28T20:26:40.000Z");
        CHECK(call("GET", "/exports?x=1").status == 422);
    }

    TEST_CASE("a reader opened before a write sees the write") {
        // A file closed cleanly holds everything (no -wal content), so a plain
        // read would open it immutable: a server's thread that read first
        // went on showing that moment, and a long poll never woke.
        TempDir dir;
        const std::string path = dir.file("r.db");
        { auto w = invlog::testing::open_fast(path); }
        auto writer = invlog::testing::open_fast(path);
        app::GroupCommitter committer{*writer, util::now_ms};
        http::Service service{http::ServiceOptions{path, 5000, "http", std::nullopt}, committer};
        auto call = [&](const std::string& method, const std::string& target, const std::string& body = "") {
            return collect(service.handle(http::Request{method, target, {}, body, "127.0.0.1"}));
        };
        CHECK(nlohmann::json::parse(call("GET", "/inventory").body).empty());
        REQUIRE(call("POST", "/inventory/A/create", "{\"soh\":10}").status == 200);
        const auto list = nlohmann::json::parse(call("GET", "/inventory").body);
        CHECK(list.size() == 1);
        CHECK(nlohmann::json::parse(call("GET", "/events?after=0&wait=1").body).size() == 1);
    }
}
