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
#include "invlog/domain/text.hpp"
#include "invlog/store/destination.hpp"

namespace invlog::store {

namespace fs = std::filesystem;
using domain::Failure;

namespace {

// Removes the temporary file (and what SQLite may have left beside it when
// the copy failed) unless the copy was moved into place.
struct TempFile {
    std::string path;
    bool keep = false;
    ~TempFile() {
        for (const char* suffix : {"-journal", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
        if (!keep) ::unlink(path.c_str());
    }
};

// Every failure past the checks is about the backup file, and names it.
Failure target_failure(const std::string& what, const std::string& target, int error) {
    if (error == ENOSPC || error == EDQUOT)
        return domain::storage_error("disk_full",
                                     fmt::format("cannot {} the backup {}: the disk or file-size limit is full ({}); "
                                                 "the database was not changed",
                                                 what, domain::shown_path(target), std::strerror(error)));
    return domain::storage_error("io_error", fmt::format("cannot {} the backup {}: {}", what,
                                                         domain::shown_path(target), std::strerror(error)));
}

void sync_path(const std::string& path, bool directory, const std::string& target) {
    int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) throw target_failure("open", target, errno);
    int rc = ::fsync(fd);
    int error = errno;
    ::close(fd);
    if (rc != 0) throw target_failure("sync", target, error);
}

// Runs a step on the copy; an SQLite failure there is the backup file's
// (a full disk most of all), whatever SQLite's message says.
template <class Step>
void on_copy(Connection& copy, const std::string& target, const char* what, Step step) {
    try {
        step();
    } catch (const Failure&) {
        const int error = sqlite3_system_errno(copy.handle());
        const int rc = sqlite3_errcode(copy.handle()) & 0xff;
        if (rc == SQLITE_FULL) throw target_failure(what, target, ENOSPC);
        if (error != 0) throw target_failure(what, target, error);
        throw;
    }
}

}  // namespace

BackupResult backup(SqliteStore& source, const std::string& target, bool replace) {
    const DestinationRules rules{replace, false, "backed up"};
    check_destination(target, source.path(), rules);
    std::error_code ec;
    fs::path dir = fs::path(target).parent_path();
    if (dir.empty()) dir = ".";
    if (!fs::is_directory(dir, ec))
        throw domain::storage_error("cannot_open",
                                    fmt::format("cannot write {}: directory {} does not exist",
                                                domain::shown_path(target), domain::shown_path(dir.string())));

    std::string pattern = (dir / ("." + fs::path(target).filename().string() + ".invlog-backup-XXXXXX")).string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw target_failure("create a temporary file for", target, errno);
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
        auto copy = Connection::create_as(temp.path, target);
        sqlite3_backup* b = sqlite3_backup_init(copy->handle(), "main", source.connection().handle(), "main");
        if (!b) on_copy(*copy, target, "start", [&] { copy->fail(sqlite3_errcode(copy->handle()), "starting"); });
        int rc = sqlite3_backup_step(b, -1);
        int finish_rc = sqlite3_backup_finish(b);
        // The step's errors land on the copy's connection; one with a system
        // error there was met writing the copy, anything else reading the
        // source.
        if (rc != SQLITE_DONE || finish_rc != SQLITE_OK)
            on_copy(*copy, target, "write",
                    [&] { source.connection().fail(rc != SQLITE_DONE ? rc : finish_rc, "copying the database"); });
        // A copy in rollback-journal mode is one self-contained file: it
        // needs no -wal or -shm beside it, so it opens anywhere, read-only
        // media included.
        on_copy(*copy, target, "write", [&] { copy->exec("PRAGMA journal_mode = DELETE"); });
        source.connection().check_unchanged();
        tx.commit();
    }
    sync_path(temp.path, false, target);

    // Checked again just before the move: the name may have changed meanwhile.
    check_destination(target, source.path(), rules);
    if (replace) {
        if (::rename(temp.path.c_str(), target.c_str()) != 0) throw target_failure("move into place", target, errno);
    } else {
        // link() refuses an existing name atomically: a file that appeared
        // since the check above is never overwritten.
        if (::link(temp.path.c_str(), target.c_str()) != 0) {
            if (errno == EEXIST) check_destination(target, source.path(), rules);
            throw target_failure("move into place", target, errno);
        }
        ::unlink(temp.path.c_str());
    }
    temp.keep = true;
    sync_path(dir.string(), true, target);
    result.bytes = static_cast<std::int64_t>(fs::file_size(target, ec));
    return result;
}

}  // namespace invlog::store
