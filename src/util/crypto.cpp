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

void put_hex(char* out, const std::uint8_t* data, std::size_t size) {
    static const char digits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
    std::string out(size * 2, '0');
    put_hex(out.data(), data, size);
    return out;
}

// Random bytes from the kernel, fetched a few hundred at a time: a batch
// makes one UUID per event and a system call for each would show. One lock
// over the pool: the server makes ids on many threads at once (request ids
// on connection threads, command ids on the writer thread).
void random_bytes(std::uint8_t* out, std::size_t n) {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
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

namespace {

std::string uuid_text(const Uuid& b) {
    std::string hex = to_hex(b.data(), b.size());
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
           hex.substr(20);
}

constexpr std::uint64_t counter_bits = 42;
constexpr std::uint64_t counter_max = (std::uint64_t{1} << counter_bits) - 1;

std::uint64_t counter_of(const Uuid& b) {
    return static_cast<std::uint64_t>(b[6] & 0x0f) << 38 | static_cast<std::uint64_t>(b[7]) << 30 |
           static_cast<std::uint64_t>(b[8] & 0x3f) << 24 | static_cast<std::uint64_t>(b[9]) << 16 |
           static_cast<std::uint64_t>(b[10]) << 8 | b[11];
}

// The time, version and variant; bytes 6 to 15 keep what the caller put there.
void stamp(Uuid& b, std::int64_t ms) {
    for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(ms) >> (40 - 8 * i));
    b[6] = static_cast<std::uint8_t>(0x70 | (b[6] & 0x0f));
    b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3f));
}

}  // namespace

std::string uuid_v7(std::int64_t ms) {
    Uuid b;
    random_bytes(b.data(), b.size());
    stamp(b, ms);
    return uuid_text(b);
}

std::string next_uuid_v7(std::int64_t ms, std::string_view previous) {
    Uuid b;
    random_bytes(b.data(), b.size());
    std::uint64_t counter = (static_cast<std::uint64_t>(b[6]) << 40 | static_cast<std::uint64_t>(b[7]) << 32 |
                             static_cast<std::uint64_t>(b[8]) << 24 | static_cast<std::uint64_t>(b[9]) << 16 |
                             static_cast<std::uint64_t>(b[10]) << 8 | b[11]) &
                            (counter_max >> 1);
    if (auto prev = parse_uuid(previous); prev && uuid_v7_ms(*prev) == ms) {
        counter = counter_of(*prev);
        // 2^41 ids in one millisecond before this can happen.
        if (counter == counter_max) throw std::overflow_error("event id counter exhausted within one millisecond");
        ++counter;
    }
    b[6] = static_cast<std::uint8_t>(counter >> 38);
    b[7] = static_cast<std::uint8_t>(counter >> 30);
    b[8] = static_cast<std::uint8_t>((counter >> 24) & 0x3f);
    b[9] = static_cast<std::uint8_t>(counter >> 16);
    b[10] = static_cast<std::uint8_t>(counter >> 8);
    b[11] = static_cast<std::uint8_t>(counter);
    stamp(b, ms);
    return uuid_text(b);
}

namespace {

// The value of each hex digit, 16 for anything else: verify parses two ids
// per event, so this is on a hot path.
constexpr std::array<std::uint8_t, 256> hex_values = [] {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = 16;
    for (int c = 0; c < 10; ++c) t['0' + c] = static_cast<std::uint8_t>(c);
    for (int c = 0; c < 6; ++c) {
        t['a' + c] = static_cast<std::uint8_t>(10 + c);
        t['A' + c] = static_cast<std::uint8_t>(10 + c);
    }
    return t;
}();

// Where the 16 bytes' digit pairs start in the text form.
constexpr std::size_t byte_at[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

}  // namespace

std::optional<Uuid> parse_uuid(std::string_view text) {
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        return std::nullopt;
    Uuid b;
    unsigned bad = 0;
    for (std::size_t i = 0; i < 16; ++i) {
        const std::uint8_t hi = hex_values[static_cast<unsigned char>(text[byte_at[i]])];
        const std::uint8_t lo = hex_values[static_cast<unsigned char>(text[byte_at[i] + 1])];
        bad |= (hi | lo) & 16u;
        b[i] = static_cast<std::uint8_t>(hi << 4 | (lo & 15u));
    }
    if (bad) return std::nullopt;
    return b;
}

std::optional<std::int64_t> uuid_v7_ms(const Uuid& b) {
    if ((b[6] >> 4) != 7 || (b[8] >> 6) != 2) return std::nullopt;
    std::uint64_t ms = 0;
    for (int i = 0; i < 6; ++i) ms = ms << 8 | b[i];
    return static_cast<std::int64_t>(ms);
}

}  // namespace invlog::util
