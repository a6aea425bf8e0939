// Access log lines (see access_log.hpp).
#include "invlog/http/access_log.hpp"

#include <unistd.h>

#include <cmath>

#include "invlog/output/json.hpp"
#include "invlog/util/time.hpp"

namespace invlog::http {

std::string access_line(const AccessEntry& e, std::int64_t now_ms) {
    output::Json j;
    j["time"] = util::format_time(now_ms);
    j["method"] = e.method;
    j["path"] = e.path;
    j["status"] = e.status;
    j["duration_ms"] = std::round(e.duration_ms * 1000) / 1000;
    j["request_id"] = e.request_id;
    j["sku"] = e.sku.empty() ? output::Json(nullptr) : output::Json(e.sku);
    j["remote"] = e.remote;
    return output::dump_line(j) + "\n";
}

std::string event_line(const std::string& event, const std::string& key, const std::string& value,
                       std::int64_t now_ms) {
    output::Json j;
    j["time"] = util::format_time(now_ms);
    j["event"] = event;
    if (!key.empty()) j[key] = value;
    return output::dump_line(j) + "\n";
}

void log_line(const std::string& line) {
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(STDERR_FILENO, p, left);
        if (n <= 0) return;  // a closed stderr must not stop the server
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

}  // namespace invlog::http
