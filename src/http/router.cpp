// Target parsing and route matching (see router.hpp).
#include "invlog/http/router.hpp"

#include <algorithm>
#include <cctype>

namespace invlog::http {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        auto end = text.find(sep, start);
        out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) return out;
        start = end + 1;
    }
}

// Whether a pattern's segments match the path's; fills the parameters.
bool matches(std::string_view pattern, const std::vector<std::string>& segments, Match& m) {
    auto parts = split(pattern.substr(1), '/');
    if (parts.size() != segments.size()) return false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string& seg = segments[i];
        if (parts[i] == "{sku}") {
            if (seg.empty()) return false;
            m.sku = seg;
        } else if (parts[i] == "{command}") {
            m.command = app::find_command(seg);
            if (!m.command) return false;
        } else if (parts[i] != seg) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += plus_is_space && text[i] == '+' ? ' ' : text[i];
    }
    return out;
}

std::string percent_encode(std::string_view text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == ':') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

Target parse_target(std::string_view target) {
    Target t;
    auto q = target.find('?');
    std::string_view path = target.substr(0, q);
    if (auto hash = path.find('#'); hash != std::string_view::npos) path = path.substr(0, hash);
    if (path.starts_with('/')) path.remove_prefix(1);
    for (auto seg : split(path, '/')) t.segments.push_back(percent_decode(seg));
    if (q != std::string_view::npos) {
        std::string_view query = target.substr(q + 1);
        if (auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
        for (auto pair : split(query, '&')) {
            if (pair.empty()) continue;
            auto eq = pair.find('=');
            std::string key = percent_decode(pair.substr(0, eq), true);
            std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
            t.query.emplace(std::move(key), std::move(value));
        }
    }
    return t;
}

const std::vector<Route>& routes() {
    static const std::vector<Route> table = {
        {RouteId::healthz, "GET", "/healthz", false, "Liveness: the server answers and the head seq"},
        {RouteId::openapi, "GET", "/openapi.json", false, "This API as an OpenAPI 3.1 document"},
        {RouteId::ref_create, "POST", "/inventory/create", true, "Create (the reference service's route)"},
        {RouteId::list, "GET", "/inventory", false, "Every SKU's state, now or at a past time or seq"},
        {RouteId::ref_show, "GET", "/inventory/{sku}", false, "A SKU's state (the reference service's route)"},
        {RouteId::ref_update, "PATCH", "/inventory/{sku}/update", true,
         "Replace soh and available together (the reference service's route)"},
        {RouteId::ref_reserve, "PATCH", "/inventory/{sku}/reserve", true, "Reserve (the reference service's route)"},
        {RouteId::ref_complete, "PATCH", "/inventory/{sku}/complete", true, "Complete (the reference service's route)"},
        {RouteId::state, "GET", "/inventory/{sku}/state", false, "A SKU's full state, now or in the past"},
        {RouteId::history, "GET", "/inventory/{sku}/history", false, "A SKU's events, each with the state after it"},
        {RouteId::command, "POST", "/inventory/{sku}/{command}", true, "A write command of the command table"},
        {RouteId::events, "GET", "/events", false, "The global event feed in seq order; a long poll with wait"},
        {RouteId::apply, "POST", "/apply", true, "Run NDJSON command lines as `invlog apply` does"},
        {RouteId::stats, "GET", "/stats", false, "The report of `invlog stats`"},
        {RouteId::verify, "GET", "/verify", false, "The report of `invlog verify`"},
        {RouteId::metrics, "GET", "/metrics", false, "Prometheus metrics (text format 0.0.4)"},
        {RouteId::exports, "GET", "/exports", false, "Each export destination's position and its lag behind the head"},
    };
    return table;
}

Match match(std::string_view method, const std::vector<std::string>& segments) {
    Match found;
    std::vector<std::string> allow;
    // HEAD is answered as GET, without the body.
    const std::string_view wanted = method == "HEAD" ? "GET" : method;
    for (const auto& route : routes()) {
        Match m;
        if (!matches(route.pattern, segments, m)) continue;
        if (route.method == wanted) {
            m.route = &route;
            return m;
        }
        if (std::find(allow.begin(), allow.end(), route.method) == allow.end()) allow.emplace_back(route.method);
    }
    std::sort(allow.begin(), allow.end());
    found.allow = std::move(allow);
    return found;
}

}  // namespace invlog::http
