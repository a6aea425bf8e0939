// sqlite3_backup into a temporary file, then an atomic move into place.
#include "invlog/store/backup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"

namespace invlog::store {

namespace fs = std::filesystem;
using domain::Failure;

namespace {

// Removes the temporary file unless the copy was moved into place.
struct TempFile {
    std::string path;
    bool keep = false;
    ~TempFile() {
        if (!keep) ::unlink(path.c_str());
    }
};

Failure io_failure(const std::string& what, const std::string& path) {
    return domain::storage_error("io_error", fmt::format("cannot {} {}: {}", what, path, std::strerror(errno)));
}

void sync_path(const std::string& path, bool directory) {
    int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) throw io_failure("open", path);
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw io_failure("sync", path);
}

Failure exists_failure(const std::string& target) {
    return domain::usage_error("target_exists",
                               fmt::format("{} already exists; use --force to replace it", target));
}

}  // namespace

BackupResult backup(EventStore& source, const std::string& target, bool replace) {
    std::error_code ec;
    if (target.empty()) throw domain::usage_error("invalid_argument", "the backup file name is empty");
    if (fs::is_directory(target, ec))
        throw domain::usage_error("target_is_directory", fmt::format("{} is a directory; name the backup file", target));
    if (fs::exists(target, ec)) {
        if (fs::equivalent(target, source.path(), ec))
            throw domain::usage_error("target_is_source",
                                      fmt::format("{} is the database being backed up; name another file", target));
        if (!replace) throw exists_failure(target);
    }
    fs::path dir = fs::path(target).parent_path();
    if (dir.empty()) dir = ".";
    if (!fs::is_directory(dir, ec))
        throw domain::storage_error("cannot_open",
                                    fmt::format("cannot write {}: directory {} does not exist", target, dir.string()));

    std::string pattern = (dir / ("." + fs::path(target).filename().string() + ".invlog-backup-XXXXXX")).string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw io_failure("create a temporary file in", dir.string());
    // mkstemp makes the file private; the copy gets the source's permissions.
    struct stat st {};
    if (::stat(source.path().c_str(), &st) == 0) ::fchmod(fd, st.st_mode & 07777);
    ::close(fd);
    TempFile temp{pattern};

    BackupResult result;
    {
        // The read transaction pins one moment of the source; the backup then
        // copies exactly that moment, and writers in other processes go on.
        EventStore::Transaction tx(source, false);
        result.head = source.head();
        Connection copy(temp.path, true);
        sqlite3_backup* b = sqlite3_backup_init(copy.handle(), "main", source.connection().handle(), "main");
        if (!b) copy.fail(sqlite3_errcode(copy.handle()), "starting the backup");
        int rc = sqlite3_backup_step(b, -1);
        int finish_rc = sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE) source.connection().fail(rc, "copying the database");
        if (finish_rc != SQLITE_OK) copy.fail(finish_rc, "writing the backup");
        tx.commit();
    }
    sync_path(temp.path, false);

    if (replace) {
        if (::rename(temp.path.c_str(), target.c_str()) != 0) throw io_failure("move the backup to", target);
    } else {
        // link() refuses an existing name atomically: a file that appeared
        // since the check above is never overwritten.
        if (::link(temp.path.c_str(), target.c_str()) != 0) {
            if (errno == EEXIST) throw exists_failure(target);
            throw io_failure("move the backup to", target);
        }
        ::unlink(temp.path.c_str());
    }
    temp.keep = true;
    sync_path(dir.string(), true);
    result.bytes = static_cast<std::int64_t>(fs::file_size(target, ec));
    return result;
}

}  // namespace invlog::store
