// SHA-256 through libcrypto's digest functions; time-ordered UUIDs with
// randomness from the kernel's CSPRNG.
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

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
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

namespace {

// Random bytes from the kernel, fetched a few hundred at a time: a batch
// makes one UUID per event and a system call for each would show.
void random_bytes(std::uint8_t* out, std::size_t n) {
    static std::uint8_t pool[512];
    static std::size_t left = 0;
    while (n > 0) {
        if (left == 0) {
            std::size_t got = 0;
            while (got < sizeof pool) {
                ssize_t r = getrandom(pool + got, sizeof pool - got, 0);
                if (r < 0 && errno == EINTR) continue;
                if (r <= 0) throw std::runtime_error("no randomness available for a UUID");
                got += static_cast<std::size_t>(r);
            }
            left = sizeof pool;
        }
        std::size_t take = std::min(n, left);
        std::memcpy(out, pool + sizeof pool - left, take);
        left -= take;
        out += take;
        n -= take;
    }
}

}  // namespace

std::string new_uuid() {
    // Version 7 (RFC 9562): 48 bits of Unix milliseconds, then 12 bits that
    // count up within a millisecond (method 1), then random bits. Ids made
    // later sort later, so the unique index on event_id (and MongoDB's _id
    // index) grows at its right edge instead of at random places.
    // One lock over the random pool and the counter: the server makes ids
    // on many threads at once (request ids, command ids).
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    static std::int64_t last_ms = 0;
    static std::uint32_t counter = 0;
    std::uint8_t b[16];
    random_bytes(b, sizeof b);
    std::int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    if (ms <= last_ms) {
        ms = last_ms;
        if (++counter > 0xfff) {  // more than 4096 ids in a millisecond: borrow the next one
            ++ms;
            counter = 0;
        }
    } else {
        counter = (static_cast<std::uint32_t>(b[6]) << 4 | b[7] >> 4) & 0x7ff;  // random start, room to count
    }
    last_ms = ms;
    for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
    b[6] = static_cast<std::uint8_t>(0x70 | (counter >> 8));
    b[7] = static_cast<std::uint8_t>(counter);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
    std::string hex = to_hex(b, sizeof b);
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
           hex.substr(20);
}

}  // namespace invlog::util
