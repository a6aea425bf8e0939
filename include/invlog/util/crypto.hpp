// SHA-256 (OpenSSL libcrypto) and random identifiers.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
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
inline std::string to_hex(const Digest& d) { return to_hex(d.data(), d.size()); }

// A time-ordered (version 7) UUID in its 36-character text form; within one
// process each is greater than the one before. Safe to call from any thread.
std::string new_uuid();

}  // namespace invlog::util
