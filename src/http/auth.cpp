// Token checks (see auth.hpp).
#include "invlog/http/auth.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "invlog/domain/error.hpp"

namespace invlog::http {
namespace {

util::Digest digest_of(std::string_view token) {
    util::Sha256 sha;
    sha.update(token);
    return sha.finish();
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

Tokens Tokens::parse(std::string_view text) {
    Tokens out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        std::string_view line =
            trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        start = end == std::string_view::npos ? text.size() + 1 : end + 1;
        if (line.empty() || line.front() == '#') continue;
        bool write = true;
        if (line.starts_with("read:")) {
            write = false;
            line = trim(line.substr(5));
            if (line.empty()) continue;
        }
        out.m_tokens.push_back(Token{digest_of(line), write});
    }
    return out;
}

Tokens Tokens::load(const std::string& path, std::string& warning) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw domain::usage_error("cannot_read",
                                  fmt::format("cannot read --token-file {}: {}", path, std::strerror(errno)));
    if (st.st_mode & (S_IROTH | S_IWOTH | S_IWGRP))
        throw domain::usage_error("unsafe_token_file",
                                  fmt::format("--token-file {} may be read or written by other users (mode {:o}); "
                                              "chmod 600 it (or 640 for a group the service runs in)",
                                              path, st.st_mode & 0777));
    if (st.st_mode & S_IRGRP)
        warning = fmt::format("--token-file {} is readable by its group (mode {:o})", path, st.st_mode & 0777);
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) throw domain::usage_error("cannot_read", fmt::format("cannot read --token-file {}", path));
    Tokens tokens = parse(text.str());
    if (tokens.m_tokens.empty())
        throw domain::usage_error("no_tokens", fmt::format("--token-file {} holds no token", path));
    return tokens;
}

Access Tokens::check(const std::optional<std::string>& authorization) const {
    if (!authorization) return Access::none;
    std::string_view value = trim(*authorization);
    // The scheme is case-insensitive (RFC 7235).
    if (value.size() < 7 || strncasecmp(value.data(), "Bearer ", 7) != 0) return Access::none;
    const util::Digest presented = digest_of(trim(value.substr(7)));
    Access found = Access::none;
    for (const auto& t : m_tokens) {
        // Every token is compared: the time does not tell which one matched.
        const bool same = CRYPTO_memcmp(t.digest.data(), presented.data(), presented.size()) == 0;
        if (same && (t.write || found == Access::none)) found = t.write ? Access::write : Access::read;
    }
    return found;
}

}  // namespace invlog::http
