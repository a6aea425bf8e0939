// The web dashboard of `invlog serve`: one static page set (web/) embedded in
// invlog-http.so at build time (cmake/embed_web.cmake) and served beside the
// API. The pages hold no data and so need no token: they fetch everything
// from the public JSON API with the token the user typed, as any client does.
//
// Paths: `/`, `/sku/{sku}`, `/audit`, and `/events` when the request's Accept
// prefers text/html (a browser), all the same page (it routes itself by its
// location); its files under `/dashboard/NAME`. `/events` stays the API's
// feed for every client that does not ask for HTML first (curl, fetch, the
// reference clients send `*/*` or nothing).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/http/message.hpp"

namespace invlog::http {

struct Asset {
    std::string_view name;          // "index.html", "dashboard.js"
    std::string_view content_type;  // "text/javascript; charset=utf-8"
    std::string_view etag;          // quoted: from the SHA-256 of the bytes
    std::string_view body;
};

// The embedded files; defined by the source that cmake/embed_web.cmake
// generates, a part of invlog-http.so (and of the test binary).
const std::vector<Asset>& dashboard_assets();

// Whether an Accept header ranks text/html above JSON. Only an explicit
// text/html (or text/*, application/xhtml+xml) counts for HTML, while */*
// counts for JSON: a tie, no header or `*/*` alone is the API.
bool prefers_html(const std::optional<std::string>& accept);

// The answer to a request for a dashboard path (GET or HEAD), with its
// caching and security headers, or 304 when If-None-Match names the ETag;
// nullopt when the request is for the API.
std::optional<Response> dashboard_response(const Request& request, const std::vector<Asset>& assets);

}  // namespace invlog::http
