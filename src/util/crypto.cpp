// SHA-256 through libcrypto's one-shot digest functions; UUIDs from the
// kernel's CSPRNG.
//
// The EVP interface of OpenSSL 3 fetches its implementation through the
// provider machinery on first use, which costs more than the rest of a
// command put together (about a third of a `reserve`, measured with
// callgrind). SHA256_Init and friends run the same code without that set-up,
// and getrandom(2) likewise avoids seeding OpenSSL's DRBG for 16 bytes.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "invlog/util/crypto.hpp"

#include <openssl/sha.h>
#include <sys/random.h>

#include <cerrno>
#include <stdexcept>

namespace invlog::util {

struct Sha256::Impl {
    SHA256_CTX ctx;
};

Sha256::Sha256() : m_impl(std::make_unique<Impl>()) { reset(); }

Sha256::~Sha256() = default;

void Sha256::reset() {
    if (SHA256_Init(&m_impl->ctx) != 1) throw std::runtime_error("SHA-256 init failed");
}

void Sha256::update(const void* data, std::size_t size) {
    if (SHA256_Update(&m_impl->ctx, data, size) != 1) throw std::runtime_error("SHA-256 update failed");
}

Digest Sha256::finish() {
    Digest d{};
    if (SHA256_Final(d.data(), &m_impl->ctx) != 1) throw std::runtime_error("SHA-256 final failed");
    reset();
    return d;
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
    static const char digits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    return out;
}

std::string new_uuid() {
    std::uint8_t b[16];
    std::size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("no randomness available for a UUID");
        got += static_cast<std::size_t>(n);
    }
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
    std::string hex = to_hex(b, sizeof b);
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
           hex.substr(20);
}

}  // namespace invlog::util
