// The access log: one JSON object a line on stderr, for every response and
// for the server's own events (listening, stopping). Headers are never
// logged, so a token cannot reach the log.
#pragma once

#include <cstdint>
#include <string>

namespace invlog::http {

struct AccessEntry {
    std::string method;
    std::string path;  // the raw path of the target, without the query
    int status = 0;
    double duration_ms = 0;
    std::string request_id;
    std::string sku;  // empty: the request named none
    std::string remote;
};

// {"time","method","path","status","duration_ms","request_id","sku","remote"}
std::string access_line(const AccessEntry& entry, std::int64_t now_ms);

// {"time","event",...}: a server event with one detail (empty: none).
std::string event_line(const std::string& event, const std::string& key, const std::string& value, std::int64_t now_ms);

// Writes a line to stderr in one write(2), so that lines of concurrent
// requests never interleave.
void log_line(const std::string& line);

}  // namespace invlog::http
