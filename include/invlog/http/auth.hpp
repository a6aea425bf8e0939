// Bearer tokens from --token-file: one token a line, "read:" before a token
// that may only read; blank lines and lines starting with '#' are skipped.
// Only SHA-256 digests of the tokens are kept, and a presented token is
// compared with every one of them with CRYPTO_memcmp, so neither its length
// nor the position of a mismatch shows in the time taken. Tokens never reach
// a log or a message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/util/crypto.hpp"

namespace invlog::http {

enum class Access { none, read, write };

class Tokens {
public:
    // Reads the file. Throws a usage Failure when it cannot be read, holds no
    // token, or others than its owner and group may read it or anyone but
    // its owner may write it; `warning` is set when its group may read it.
    static Tokens load(const std::string& path, std::string& warning);
    // From text, for tests.
    static Tokens parse(std::string_view text);

    // The access the Authorization header grants: none without a valid
    // "Bearer TOKEN".
    Access check(const std::optional<std::string>& authorization) const;
    std::size_t size() const { return m_tokens.size(); }

private:
    struct Token {
        util::Digest digest;
        bool write;
    };
    std::vector<Token> m_tokens;
};

}  // namespace invlog::http
