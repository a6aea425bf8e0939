// SHA-256 (OpenSSL libcrypto) and random identifiers.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace invlog::util {

using Digest = std::array<std::uint8_t, 32>;

// A reusable SHA-256 context: one per process is enough for the hot paths.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void reset();
    void update(const void* data, std::size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
    Digest finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

std::string to_hex(const std::uint8_t* data, std::size_t size);
// to_hex's 2 * size characters written at out.
void put_hex(char* out, const std::uint8_t* data, std::size_t size);

// Bytes from the kernel's CSPRNG through one locked pool (ids, trace ids).
void random_bytes(std::uint8_t* out, std::size_t n);
inline std::string to_hex(const Digest& d) { return to_hex(d.data(), d.size()); }

// Version 7 UUIDs (RFC 9562) in their 36-character lowercase text form: 48
// bits of Unix milliseconds, the version and variant bits, then 74 bits that
// are random (uuid_v7) or begin with a 42-bit counter (next_uuid_v7).
using Uuid = std::array<std::uint8_t, 16>;

// A UUID of the millisecond `ms` with random bits: command ids.
std::string uuid_v7(std::int64_t ms);

// The UUID that follows `previous` at millisecond `ms`: when previous is a
// version 7 UUID of the same millisecond, its counter (the 12 bits after the
// version and the 30 after the variant: RFC 9562, 6.2, method 1) plus one,
// so that the new id sorts after it; otherwise a random counter with its top
// bit clear, leaving room to count. The last 32 bits are random. Event ids:
// given non-decreasing times, each id is greater than the one before.
std::string next_uuid_v7(std::int64_t ms, std::string_view previous);

// The 16 bytes of a UUID in text form (either case); nullopt when malformed.
std::optional<Uuid> parse_uuid(std::string_view text);

// The millisecond of a version 7 UUID with the RFC variant; nullopt for
// another kind of UUID.
std::optional<std::int64_t> uuid_v7_ms(const Uuid& uuid);

}  // namespace invlog::util
