// HTTP requests and responses as the handlers see them: plain values with no
// cpp-httplib type, so that the handlers are tested without a socket and the
// request parsers can be linked by a fuzzer. src/http/server.cpp converts.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace invlog::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The value of the first header of that name (case-insensitive), if any.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);

struct Request {
    std::string method;  // "GET"
    std::string target;  // the raw request target: "/inventory/A%2F1/reserve?x=1"
    Headers headers;
    std::string body;
    std::string remote;  // the client's address, for the log

    std::optional<std::string> header(std::string_view name) const { return find_header(headers, name); }
};

// Writes a piece of a streamed body; false when the client has gone.
using Writer = std::function<bool(std::string_view)>;

struct Response {
    int status = 200;
    Headers headers;
    std::string content_type = "application/json";
    std::string body;
    // When set, the body is produced by this function after the headers are
    // sent (chunked), so that a long list is never held in memory.
    std::function<void(const Writer&)> stream;
    std::string sku;  // the SKU the request was about, for the access log

    void set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

}  // namespace invlog::http
