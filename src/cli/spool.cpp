// Held-back output: memory first, then an unlinked temporary file.
#include "invlog/cli/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"

namespace invlog::cli {
namespace {

[[noreturn]] void fail(const std::string& dir) {
    throw domain::storage_error("spool_error", fmt::format("cannot hold back the results in a temporary file in {}: {}",
                                                           dir, std::strerror(errno)));
}

}  // namespace

Spool::Spool(std::size_t memory_limit) : m_limit(memory_limit) {}

Spool::~Spool() {
    if (m_fd >= 0) ::close(m_fd);
}

void Spool::add(std::string_view text) {
    if (m_fd < 0 && m_memory.size() + text.size() <= m_limit) {
        m_memory += text;
        return;
    }
    if (m_fd < 0) spill();
    write_file(text);
}

void Spool::spill() {
    const char* tmp = std::getenv("TMPDIR");
    m_dir = tmp && *tmp ? tmp : "/tmp";
    std::string pattern = m_dir + "/invlog-apply-XXXXXX";
    m_fd = ::mkstemp(pattern.data());
    if (m_fd < 0) fail(m_dir);
    ::unlink(pattern.c_str());  // gone from the directory; freed when closed, even after a crash
    write_file(m_memory);
    m_memory.clear();
    m_memory.shrink_to_fit();
}

void Spool::write_file(std::string_view text) {
    while (!text.empty()) {
        ssize_t n = ::write(m_fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(m_dir);
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

void Spool::drain(const std::function<void(std::string_view)>& write) {
    if (m_fd < 0) {
        write(m_memory);
        m_memory.clear();
        return;
    }
    if (::lseek(m_fd, 0, SEEK_SET) < 0) fail(m_dir);
    std::vector<char> buffer(64 * 1024);
    for (;;) {
        ssize_t n = ::read(m_fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(m_dir);
        if (n == 0) break;
        write(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    }
    ::close(m_fd);
    m_fd = -1;
}

}  // namespace invlog::cli
