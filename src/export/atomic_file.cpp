// Write-to-temporary-then-rename, with the syncs that make the rename durable.
#include "invlog/export/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"

namespace invlog::exporter {

AtomicFile::AtomicFile(std::string path, bool replace) : m_path(std::move(path)), m_replace(replace) {
    std::filesystem::path p(m_path);
    if (p.filename().empty())
        throw domain::usage_error("invalid_argument",
                                  fmt::format("invalid PATH '{}': names a directory", domain::shown_path(m_path)));
    m_temp = (p.parent_path() / ("." + p.filename().string() + ".XXXXXX")).string();
    int fd = mkstemp(m_temp.data());
    if (fd < 0) {
        int error = errno;
        m_temp.clear();
        fail("create a file beside", error);
    }
    // mkstemp makes the file private; give it the mode a new file would get.
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    m_fd = fd;
}

AtomicFile::~AtomicFile() {
    if (m_fd >= 0) close(m_fd);
    if (!m_temp.empty()) unlink(m_temp.c_str());
}

void AtomicFile::write(std::string_view bytes) {
    const auto start = static_cast<off_t>(m_written);
    m_written += bytes.size();
    while (!bytes.empty()) {
        const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            fail("write", n < 0 ? errno : EIO);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
#ifdef __linux__
    // Starts writing these pages to disk now, without waiting: the disk
    // works while the next block is made, and commit()'s fsync has only the
    // last blocks left to wait for. A hint only: fsync remains the guarantee.
    sync_file_range(m_fd, start, static_cast<off_t>(m_written) - start, SYNC_FILE_RANGE_WRITE);
#endif
}

void AtomicFile::commit() {
    if (fsync(m_fd) != 0) fail("sync", errno);
    const int fd = m_fd;
    m_fd = -1;
    if (close(fd) != 0) fail("write", errno);
    if (m_replace) {
        if (std::rename(m_temp.c_str(), m_path.c_str()) != 0) fail("rename the temporary file to", errno);
    } else {
        // link() refuses an existing name atomically: a file that appeared
        // since the checks is never replaced.
        if (link(m_temp.c_str(), m_path.c_str()) != 0) {
            if (errno == EEXIST)
                throw domain::storage_error("target_exists", fmt::format("{} already exists; use --force to replace it",
                                                                         domain::shown_path(m_path)));
            fail("rename the temporary file to", errno);
        }
        unlink(m_temp.c_str());
    }
    m_temp.clear();
    // The new name is durable only once the directory is synced.
    std::string dir = std::filesystem::path(m_path).parent_path().string();
    int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd) != 0) {
        int error = errno;
        if (dfd >= 0) close(dfd);
        throw domain::storage_error("cannot_write_output",
                                    fmt::format("wrote {}, but cannot sync its directory: {}; it may not survive a "
                                                "crash",
                                                domain::shown_path(m_path), std::strerror(error)));
    }
    close(dfd);
}

void AtomicFile::fail(std::string_view doing, int error) {
    throw domain::storage_error("cannot_write_output", fmt::format("cannot {} {}: {}; {} was left as it was", doing,
                                                                   domain::shown_path(m_path), std::strerror(error),
                                                                   domain::shown_path(m_path)));
}

}  // namespace invlog::exporter
