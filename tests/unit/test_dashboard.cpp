// Which requests the dashboard answers (dashboard.hpp): content negotiation
// of /events, the paths of the pages and files, and the caching and security
// headers.
#include <doctest/doctest.h>

#include "invlog/http/dashboard.hpp"

using namespace invlog::http;

namespace {

const std::vector<Asset> assets = {
    {"index.html", "text/html; charset=utf-8", "\"abc\"", "<!doctype html>"},
    {"style.css", "text/css; charset=utf-8", "\"def\"", "body{}"},
};

std::optional<Response> page(const std::string& method, const std::string& target, Headers headers = {}) {
    return dashboard_response(Request{method, target, std::move(headers), "", ""}, assets);
}

}  // namespace

TEST_SUITE("unit.http.dashboard") {
    TEST_CASE("Accept: HTML only when ranked above JSON") {
        CHECK_FALSE(prefers_html(std::nullopt));
        CHECK_FALSE(prefers_html("*/*"));
        CHECK_FALSE(prefers_html("application/json"));
        CHECK_FALSE(prefers_html("text/html, application/json"));  // a tie is the API
        CHECK_FALSE(prefers_html("text/html;q=0.5, */*"));
        CHECK_FALSE(prefers_html("text/html;q=0"));
        CHECK_FALSE(prefers_html("text/html;q=abc"));
        CHECK(prefers_html("text/html"));
        CHECK(prefers_html("TEXT/HTML ; q=1"));
        CHECK(prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
        CHECK(prefers_html("application/json;q=0.5, text/*"));
    }

    TEST_CASE("paths") {
        CHECK(page("GET", "/")->body == "<!doctype html>");
        CHECK(page("HEAD", "/audit"));
        CHECK(page("GET", "/sku/A%2FB?x=1"));
        CHECK_FALSE(page("GET", "/sku/"));
        CHECK_FALSE(page("GET", "/sku/A/history"));
        CHECK_FALSE(page("POST", "/"));
        CHECK_FALSE(page("GET", "/events"));
        CHECK_FALSE(page("GET", "/events", {{"Accept", "*/*"}}));
        CHECK(page("GET", "/events?after=1", {{"accept", "text/html"}}));
        CHECK(page("GET", "/dashboard/style.css")->content_type == "text/css; charset=utf-8");
        CHECK_FALSE(page("GET", "/dashboard/index.html"));
        CHECK_FALSE(page("GET", "/dashboard/missing.js"));
        CHECK_FALSE(page("GET", "/dashboard/../index.html"));
        CHECK_FALSE(page("GET", "/inventory"));
        CHECK_FALSE(dashboard_response(Request{"GET", "/", {}, "", ""}, {}));
    }

    TEST_CASE("headers, and 304 for a known ETag") {
        auto page_r = page("GET", "/dashboard/style.css");
        REQUIRE(page_r);
        auto r = *page_r;
        CHECK(r.status == 200);
        CHECK(find_header(r.headers, "ETag") == "\"def\"");
        CHECK(find_header(r.headers, "Cache-Control") == "no-cache");
        CHECK(find_header(r.headers, "X-Content-Type-Options") == "nosniff");
        const auto csp_header = find_header(r.headers, "Content-Security-Policy");
        REQUIRE(csp_header);
        const auto& csp = *csp_header;
        CHECK(csp.find("default-src 'none'") != std::string::npos);
        CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
        CHECK(csp.find("unsafe-inline") == std::string::npos);
        CHECK_FALSE(find_header(r.headers, "Vary"));
        page_r = page("GET", "/dashboard/style.css", {{"If-None-Match", "\"x\", W/\"def\""}});
        REQUIRE(page_r);
        r = *page_r;
        CHECK(r.status == 304);
        CHECK(r.body.empty());
        CHECK(page("GET", "/", {{"If-None-Match", "\"def\""}})->status == 200);
    }
}
