// Hiding MongoDB credentials in everything invlog shows: no driver needed,
// so the core (argv scrubbing, messages) can use it without loading the
// MongoDB module, and no domain type, so any layer can.
#include "invlog/util/redact.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace invlog::util {
namespace {

bool secret_option(std::string_view key) {
    std::string k(key);
    std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return std::tolower(c); });
    return k.find("password") != std::string::npos || k == "authmechanismproperties";
}

// Redacts the values of secret options in "a=1&b=2".
std::string redact_query(std::string_view query) {
    std::string out;
    std::size_t pos = 0;
    while (pos <= query.size()) {
        std::size_t end = query.find_first_of("&;", pos);
        if (end == std::string_view::npos) end = query.size();
        std::string_view pair = query.substr(pos, end - pos);
        std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && secret_option(pair.substr(0, eq)))
            out += fmt::format("{}=***", pair.substr(0, eq));
        else
            out += pair;
        if (end < query.size()) out += query[end];
        pos = end + 1;
    }
    return out;
}

}  // namespace

std::string_view raw_password(std::string_view uri) {
    const std::size_t scheme_end = uri.find("://");
    const std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    const std::size_t at = uri.rfind('@');
    const std::size_t colon = uri.find(':', start);
    if (at == std::string_view::npos || at < start || colon >= at) return {};
    return uri.substr(colon + 1, at - colon - 1);
}

std::string redact_uri(std::string_view uri) {
    const std::size_t scheme_end = uri.find("://");
    const std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    // The last '@' ends the user information even when a careless password
    // holds an unescaped '@', '/' or '?': redacting too much is the safe side.
    const std::size_t at = uri.rfind('@');
    std::string out(uri.substr(0, start));
    std::size_t rest = start;
    if (at != std::string_view::npos && at >= start) {
        std::string_view userinfo = uri.substr(start, at - start);
        std::size_t colon = userinfo.find(':');
        out += colon == std::string_view::npos ? userinfo : fmt::format("{}:***", userinfo.substr(0, colon));
        rest = at;
    }
    std::size_t query = uri.find('?', rest);
    out += uri.substr(rest, query == std::string_view::npos ? std::string_view::npos : query + 1 - rest);
    if (query != std::string_view::npos) out += redact_query(uri.substr(query + 1));
    return out;
}

void Redactor::add_secret(std::string_view secret) {
    if (!secret.empty()) m_secrets.emplace_back(secret);
}

std::string Redactor::operator()(std::string_view text) const {
    std::string out(text);
    for (const auto& secret : m_secrets)
        for (std::size_t pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3))
            out.replace(pos, secret.size(), "***");
    return out;
}

}  // namespace invlog::util
