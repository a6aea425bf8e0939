// Where a server is (--db URL) and the client's token (see remote.hpp).
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/http/remote.hpp"

namespace invlog::http {
namespace {

domain::Failure bad_url(std::string_view what, std::string_view text, std::string_view why) {
    return domain::usage_error("invalid_argument", fmt::format("invalid {} '{}': {}", what, domain::shown(text), why));
}

}  // namespace

std::string Endpoint::where() const { return fmt::format("{}:{}", host, port); }

std::string Endpoint::origin() const { return fmt::format("{}://{}:{}", tls ? "https" : "http", host, port); }

bool is_url(std::string_view text) { return text.starts_with("http://") || text.starts_with("https://"); }

Endpoint parse_url(std::string_view text, std::string_view what) {
    Endpoint e;
    e.url = std::string(text);
    e.tls = text.starts_with("https://");
    std::string_view rest = text.substr(e.tls ? 8 : 7);
    if (rest.find_first_of("?#") != std::string_view::npos)
        throw bad_url(what, text, "a server URL takes no query or fragment (http://HOST:PORT[/PREFIX])");
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    // Never echo what may be a password.
    if (authority.find('@') != std::string_view::npos)
        throw domain::usage_error("invalid_argument",
                                  fmt::format("invalid {}: a server URL takes no user or password (give the token "
                                              "with INVLOG_TOKEN or --token-file)",
                                              what));
    std::string_view port_text;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) throw bad_url(what, text, "an IPv6 address needs its closing ']'");
        e.host = std::string(authority.substr(0, close + 1));
        std::string_view after = authority.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) throw bad_url(what, text, "expected :PORT after the address");
        if (!after.empty()) port_text = after.substr(1);
        if (after == ":") port_text = "-";
    } else {
        const auto colon = authority.rfind(':');
        e.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            if (port_text.empty()) port_text = "-";  // "host:" names no port
        }
        if (e.host.find(':') != std::string::npos)
            throw bad_url(what, text, "write an IPv6 address in brackets: http://[::1]:8000");
    }
    if (e.host.empty() || e.host == "[]") throw bad_url(what, text, "the URL names no host (http://HOST:PORT)");
    for (unsigned char c : e.host)
        if (c <= 0x20 || c >= 0x7f || c == '%' || c == '\\')
            throw bad_url(what, text, "the host may hold letters, digits, '.', '-' and an IPv6 address in []");
    e.port = e.tls ? 443 : 80;
    if (!port_text.empty()) {
        int port = 0;
        bool ok = port_text.size() <= 5;
        for (char c : port_text) {
            ok = ok && c >= '0' && c <= '9';
            if (ok) port = port * 10 + (c - '0');
        }
        if (!ok || port < 1 || port > 65535) throw bad_url(what, text, "expected a port from 1 to 65535");
        e.port = port;
    }
    while (path.ends_with('/')) path.remove_suffix(1);
    for (unsigned char c : path)
        if (c <= 0x20 || c >= 0x7f) throw bad_url(what, text, "the path prefix may hold printable ASCII only");
    e.prefix = std::string(path);
    return e;
}

void check_token(std::string_view token, std::string_view what) {
    if (token.empty()) throw domain::usage_error("invalid_argument", fmt::format("{} holds an empty token", what));
    for (unsigned char c : token)
        if (c <= 0x20 || c >= 0x7f)
            throw domain::usage_error("invalid_argument",
                                      fmt::format("{} holds a token with a space or a character that is not "
                                                  "printable ASCII; it cannot travel in a header",
                                                  what));
}

std::string read_client_token(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw domain::usage_error("cannot_read", fmt::format("cannot read --token-file {}: {}", domain::shown(path),
                                                             std::strerror(errno)));
    if (st.st_mode & (S_IROTH | S_IWOTH | S_IWGRP))
        throw domain::usage_error("unsafe_token_file",
                                  fmt::format("--token-file {} may be read or written by other users (mode {:o}); "
                                              "chmod 600 it",
                                              domain::shown(path), st.st_mode & 0777));
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) throw domain::usage_error("cannot_read", fmt::format("cannot read --token-file {}", domain::shown(path)));
    std::string line;
    while (std::getline(text, line)) {
        std::string_view t = line;
        auto trim = [&] {
            while (!t.empty() && (t.front() == ' ' || t.front() == '\t' || t.front() == '\r')) t.remove_prefix(1);
            while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
        };
        trim();
        if (t.empty() || t.front() == '#') continue;
        if (t.starts_with("read:")) {
            t.remove_prefix(5);
            trim();
        }
        const std::string what = fmt::format("--token-file {}", domain::shown(path));
        check_token(t, what);
        return std::string(t);
    }
    throw domain::usage_error("no_tokens", fmt::format("--token-file {} holds no token", domain::shown(path)));
}

}  // namespace invlog::http
