// Read-only opening without creating files: see read_access.hpp.
#include "invlog/store/read_access.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/store/file_access.hpp"

namespace invlog::store {

namespace {

// SQLite's lock bytes (os.h): a reader holds a read lock on the SHARED range,
// taken while holding one on the PENDING byte, so that a writer waiting for
// readers to leave is not starved.
constexpr off_t pending_byte = 0x40000000;
constexpr off_t shared_first = pending_byte + 2;
constexpr off_t shared_size = 510;

bool lock(int fd, short type, off_t start, off_t length) {
    struct flock fl {};
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = length;
    // An open-file-description lock: unlike a POSIX record lock, it is not
    // dropped when SQLite closes its own descriptor of the same file.
    return ::fcntl(fd, F_OFD_SETLK, &fl) == 0;
}

bool lock_shared(int fd) {
    if (!lock(fd, F_RDLCK, pending_byte, 1)) return false;
    const bool ok = lock(fd, F_RDLCK, shared_first, shared_size);
    const int error = errno;
    lock(fd, F_UNLCK, pending_byte, 1);
    errno = error;
    return ok;
}

ImmutableRead::Stamp stamp_of(const struct stat& st) {
    return {st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
}

bool holds_content(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && st.st_size > 0;
}

}  // namespace

bool ImmutableRead::Stamp::operator==(const Stamp& o) const {
    return dev == o.dev && ino == o.ino && size == o.size && mtime.tv_sec == o.mtime.tv_sec &&
           mtime.tv_nsec == o.mtime.tv_nsec && ctime.tv_sec == o.ctime.tv_sec && ctime.tv_nsec == o.ctime.tv_nsec;
}

std::shared_ptr<ImmutableRead> ImmutableRead::begin(const std::string& path, int lock_timeout_ms) {
    // O_NONBLOCK: a pipe must not hang the open (it is refused below).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return nullptr;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return nullptr;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(lock_timeout_ms);
    while (!lock_shared(fd)) {
        if ((errno != EAGAIN && errno != EACCES) || std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            if (errno == EAGAIN || errno == EACCES)
                throw domain::storage_error(
                    "locked", fmt::format("database {} is locked by another process; gave up waiting (see "
                                          "--lock-timeout)",
                                          domain::shown_path(path)));
            return nullptr;  // no lock here (a file system without them): let SQLite read it its way
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // Checked under the lock: a writer that deletes its -wal on closing
    // needs an exclusive lock to do it, so neither can change now.
    const std::string real = resolved_path(path);
    if (holds_content(real + "-wal") || holds_content(real + "-journal") || ::fstat(fd, &st) != 0) {
        ::close(fd);
        return nullptr;
    }
    return std::shared_ptr<ImmutableRead>(new ImmutableRead(path, fd, stamp_of(st)));
}

ImmutableRead::~ImmutableRead() { ::close(m_fd); }

std::string ImmutableRead::uri() const {
    std::string absolute = m_path;
    if (!absolute.starts_with('/')) {
        char* cwd = ::getcwd(nullptr, 0);
        absolute = std::string(cwd ? cwd : ".") + "/" + m_path;
        std::free(cwd);
    }
    std::string uri = "file://";
    for (unsigned char c : absolute) {
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
                           c == '.' || c == '_' || c == '-' || c == '~';
        uri += plain ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
    }
    return uri + "?immutable=1";
}

void ImmutableRead::check() const {
    struct stat st {};
    if (::stat(m_path.c_str(), &st) == 0 && stamp_of(st) == m_stamp) return;
    throw domain::storage_error(
        "changed_while_reading",
        fmt::format("{} was written while it was being read (a checkpoint of another process's large write), so "
                    "what was read may mix two moments; run the command again",
                    domain::shown_path(m_path)));
}

void check_shared_memory_readable(const std::string& path) {
    const std::string real = resolved_path(path);
    if (!holds_content(real + "-wal") || ::access((real + "-shm").c_str(), F_OK) == 0) return;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || geteuid() == 0 || geteuid() == st.st_uid) return;
    throw domain::storage_error(
        "cannot_open",
        fmt::format("cannot read {}: its -wal file holds transactions not yet in the database file, and reading them "
                    "needs the shared-memory file {}-shm, which a reader other than the owner must not create (it "
                    "would belong to {} and lock {} out); any invlog command run by the owner makes it",
                    domain::shown_path(path), domain::shown_path(real), user_name(geteuid()), user_name(st.st_uid)));
}

}  // namespace invlog::store
