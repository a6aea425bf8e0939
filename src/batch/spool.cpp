// Held-back text: memory first, then an unlinked temporary file.
#include "invlog/batch/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"

namespace invlog::batch {

Spool::Spool(std::size_t memory_limit, std::string what) : m_limit(memory_limit), m_what(std::move(what)) {}

Spool::~Spool() {
    if (m_fd >= 0) ::close(m_fd);
}

void Spool::fail() const {
    throw domain::storage_error("spool_error", fmt::format("cannot hold back {} in a temporary file in {}: {}", m_what,
                                                           m_dir, std::strerror(errno)));
}

// Once spilled, text is gathered into blocks of this size before it is
// written: one write(2) per line cost more than the batch's own commit.
constexpr std::size_t file_block = 64 * 1024;

void Spool::add(std::string_view text) {
    if (m_fd < 0 && m_memory.size() + text.size() <= m_limit) {
        m_memory += text;
        return;
    }
    if (m_fd < 0) spill();
    m_memory += text;
    if (m_memory.size() >= file_block) flush();
}

void Spool::flush() {
    write_file(m_memory);
    m_memory.clear();
}

void Spool::spill() {
    const char* tmp = std::getenv("TMPDIR");
    m_dir = tmp && *tmp ? tmp : "/tmp";
    std::string pattern = m_dir + "/invlog-apply-XXXXXX";
    m_fd = ::mkstemp(pattern.data());
    if (m_fd < 0) fail();
    ::unlink(pattern.c_str());  // gone from the directory; freed when closed, even after a crash
    flush();
    m_memory.shrink_to_fit();
    m_memory.reserve(2 * file_block);
}

void Spool::write_file(std::string_view text) {
    while (!text.empty()) {
        ssize_t n = ::write(m_fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail();
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

void Spool::drain(const std::function<void(std::string_view)>& write) {
    if (m_fd < 0) {
        write(m_memory);
        m_memory.clear();
        return;
    }
    ReadFn read = reader();  // writes what is still gathered
    std::vector<char> buffer(64 * 1024);
    while (std::size_t n = read(buffer.data(), buffer.size())) write(std::string_view(buffer.data(), n));
    ::close(m_fd);
    m_fd = -1;
}

ReadFn Spool::reader() {
    if (m_fd < 0) {
        auto pos = std::make_shared<std::size_t>(0);
        return [this, pos](char* buffer, std::size_t size) {
            const std::size_t n = std::min(size, m_memory.size() - *pos);
            std::memcpy(buffer, m_memory.data() + *pos, n);
            *pos += n;
            return n;
        };
    }
    flush();
    if (::lseek(m_fd, 0, SEEK_SET) < 0) fail();
    return [this](char* buffer, std::size_t size) -> std::size_t {
        for (;;) {
            ssize_t n = ::read(m_fd, buffer, size);
            if (n >= 0) return static_cast<std::size_t>(n);
            if (errno != EINTR) fail();
        }
    };
}

}  // namespace invlog::batch
