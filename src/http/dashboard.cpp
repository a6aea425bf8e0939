// Which requests the dashboard answers and with which headers (see
// dashboard.hpp). The bytes themselves are in invlog-http.so's generated
// source; this part is in the core so that the unit tests call it.
#include "invlog/http/dashboard.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "invlog/http/router.hpp"

namespace invlog::http {
namespace {

// The page may load only its own files and talk only to its own origin; no
// inline script or style, no frame around it, no plugin, no <base>.
constexpr std::string_view content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

const Asset* find_asset(const std::vector<Asset>& assets, std::string_view name) {
    for (const auto& a : assets)
        if (a.name == name) return &a;
    return nullptr;
}

// Whether If-None-Match (a list, or *) names the ETag.
bool not_modified(const Request& request, std::string_view etag) {
    const auto header = request.header("If-None-Match");
    if (!header) return false;
    std::string_view rest = *header;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view tag = trim(rest.substr(0, comma));
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == etag || tag == "*") return true;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return false;
}

Response serve(const Request& request, const Asset& asset, bool negotiated) {
    Response r;
    r.content_type = std::string(asset.content_type);
    if (not_modified(request, asset.etag)) {
        r.status = 304;
        r.content_type.clear();
    } else {
        r.body = std::string(asset.body);
    }
    r.set_header("ETag", std::string(asset.etag));
    // Revalidated on every use (a 304 is cheap), so that an upgraded server
    // is never shown with yesterday's script.
    r.set_header("Cache-Control", "no-cache");
    r.set_header("Content-Security-Policy", std::string(content_security_policy));
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("X-Frame-Options", "DENY");
    r.set_header("Referrer-Policy", "no-referrer");
    if (negotiated) r.set_header("Vary", "Accept");
    return r;
}

}  // namespace

bool prefers_html(const std::optional<std::string>& accept) {
    if (!accept) return false;
    double html = 0, json = 0;
    std::string_view rest = *accept;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const auto semi = item.find(';');
        const std::string type = lower(trim(item.substr(0, semi)));
        double q = 1;
        for (std::string_view params = semi == std::string_view::npos ? std::string_view{} : item.substr(semi + 1);
             !params.empty();) {
            const auto next = params.find(';');
            const std::string_view param = trim(params.substr(0, next));
            if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
                const std::string value(param.substr(2));
                char* end = nullptr;
                const double parsed = std::strtod(value.c_str(), &end);
                q = end && *end == '\0' && parsed >= 0 && parsed <= 1 ? parsed : 0;
            }
            params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
        }
        if (type == "text/html" || type == "text/*" || type == "application/xhtml+xml")
            html = std::max(html, q);
        else if (type == "application/json" || type == "application/*" || type == "*/*")
            json = std::max(json, q);
    }
    return html > 0 && html > json;
}

std::optional<Response> dashboard_response(const Request& request, const std::vector<Asset>& assets) {
    if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
    const Target target = parse_target(request.target);
    const auto& s = target.segments;
    const bool page =
        (s.size() == 1 && (s[0].empty() || s[0] == "audit")) || (s.size() == 2 && s[0] == "sku" && !s[1].empty());
    const bool feed_page = s.size() == 1 && s[0] == "events" && prefers_html(request.header("Accept"));
    if (page || feed_page) {
        const Asset* index = find_asset(assets, "index.html");
        if (!index) return std::nullopt;
        return serve(request, *index, s[0] == "events");
    }
    if (s.size() == 2 && s[0] == "dashboard" && s[1] != "index.html") {
        if (const Asset* file = find_asset(assets, s[1])) return serve(request, *file, false);
    }
    return std::nullopt;
}

}  // namespace invlog::http
