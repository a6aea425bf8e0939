// The OTLP/HTTP POST of the span recorder (telemetry/recorder.hpp), in the
// module invlog-http.so beside the server: the only code that sends spans
// over the network, with cpp-httplib's client.
#include <httplib.h>

#include <fmt/format.h>

#include "invlog/telemetry/recorder.hpp"

namespace invlog::http {

std::string post_otlp(const telemetry::PostRequest& request) {
    const auto scheme_end = request.url.find("://");
    if (scheme_end == std::string::npos) return "the OTLP endpoint is not a URL";
    const auto path_start = request.url.find('/', scheme_end + 3);
    const std::string origin = request.url.substr(0, path_start);
    const std::string path = path_start == std::string::npos ? "/" : request.url.substr(path_start);
    // Errors name the host only: the rest of the URL and the headers may
    // carry credentials.
    std::string host = origin.substr(scheme_end + 3);
    if (auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
    try {
        httplib::Client client(origin);
        client.set_connection_timeout(request.timeout);
        client.set_read_timeout(request.timeout);
        client.set_write_timeout(request.timeout);
        httplib::Headers headers;
        for (const auto& [k, v] : request.headers) headers.emplace(k, v);
        auto result = client.Post(path, headers, request.body, request.content_type);
        if (!result) return fmt::format("cannot send spans to {}: {} error", host, httplib::to_string(result.error()));
        if (result->status < 200 || result->status > 299)
            return fmt::format("the OTLP collector at {} answered {}", host, result->status);
        return {};
    } catch (const std::exception& e) {
        return fmt::format("cannot send spans to {}: {}", host, e.what());
    }
}

}  // namespace invlog::http
