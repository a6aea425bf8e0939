// SHA-256 through the EVP interface; UUIDs from the OpenSSL CSPRNG.
#include "invlog/util/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace invlog::util {

struct Sha256::Impl {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : m_impl(std::make_unique<Impl>()) {
    if (!m_impl->ctx) throw std::bad_alloc();
    reset();
}

Sha256::~Sha256() = default;

void Sha256::reset() {
    if (EVP_DigestInit_ex(m_impl->ctx, EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256 init failed");
}

void Sha256::update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(m_impl->ctx, data, size) != 1) throw std::runtime_error("SHA-256 update failed");
}

Digest Sha256::finish() {
    Digest d{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(m_impl->ctx, d.data(), &len) != 1 || len != d.size())
        throw std::runtime_error("SHA-256 final failed");
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
    if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("no randomness available for a UUID");
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
    std::string hex = to_hex(b, sizeof b);
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
           hex.substr(20);
}

}  // namespace invlog::util
