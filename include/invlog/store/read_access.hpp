// How read commands open a database: read-only, and without creating any
// file. A read-only SQLite connection to a WAL database still creates the
// -wal and -shm files beside it when they are missing, owned by the reader:
// an auditor's `invlog verify` in a shared directory would leave files that
// lock the owner out, and in a directory the reader cannot write it fails.
//
// So, when the database file holds everything (no -wal and no -journal with
// content), a read opens it in SQLite's immutable mode, which touches no
// other file. Immutable mode takes no lock and trusts that nothing changes
// the file, so ImmutableRead makes that true or detectable:
//   - it holds a shared lock on the file, taken as SQLite's own readers take
//     theirs (an open-file-description lock, on SQLite's SHARED byte range):
//     a writer in rollback-journal mode waits for it, and a writer that
//     closes a WAL database cannot checkpoint into the file meanwhile;
//   - what remains, a checkpoint of a WAL grown past 1000 pages (or one
//     forced by hand) during the read, changes the file's size or times, and
//     check() then fails the command ("changed while it was read") rather
//     than let it show a mix of two moments.
// When a -wal holds committed transactions, they are read the only correct
// way, through the shared-memory file: an existing -shm is used (read-only
// if it is not writable); a missing one is created only by the file's owner
// (or root, for whom SQLite gives it to the owner); anyone else is refused
// with a message, never shown the file without those transactions.
#pragma once

#include <sys/types.h>

#include <ctime>
#include <memory>
#include <string>

namespace invlog::store {

class ImmutableRead {
public:
    // Begins an immutable read when the database file holds everything;
    // nullptr when it does not (or cannot be opened: SQLite will say why).
    // Waits up to lock_timeout_ms for a writer that holds the file.
    static std::shared_ptr<ImmutableRead> begin(const std::string& path, int lock_timeout_ms);
    ~ImmutableRead();
    ImmutableRead(const ImmutableRead&) = delete;
    ImmutableRead& operator=(const ImmutableRead&) = delete;

    // The name to give SQLite: an immutable=1 URI for the file.
    std::string uri() const;
    // Throws a storage Failure (changed_while_reading) when the file is no
    // longer what it was when the read began.
    void check() const;

    struct Stamp {
        dev_t dev = 0;
        ino_t ino = 0;
        off_t size = 0;
        timespec mtime{};
        timespec ctime{};
        bool operator==(const Stamp&) const;
    };

private:
    ImmutableRead(std::string path, int fd, const Stamp& stamp) : m_path(std::move(path)), m_fd(fd), m_stamp(stamp) {}

    std::string m_path;
    int m_fd;
    Stamp m_stamp;
};

// Refuses (a storage Failure) a read that would have to create the -shm file
// of a database whose -wal holds transactions, unless this user owns the
// file or is root.
void check_shared_memory_readable(const std::string& path);

}  // namespace invlog::store
