// The checks before a backup or an export writes its file.
#include "invlog/store/destination.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "invlog/domain/text.hpp"
#include "invlog/store/file_access.hpp"

namespace invlog::store {

namespace fs = std::filesystem;

namespace {

struct Inode {
    dev_t dev;
    ino_t ino;
    bool operator==(const Inode&) const = default;
};

// A directory entry: the directory's inode and the name in it.
struct Entry {
    Inode dir;
    std::string name;
    bool operator==(const Entry&) const = default;
};

std::optional<Inode> inode_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return Inode{st.st_dev, st.st_ino};
}

std::optional<Entry> entry_of(const std::string& path) {
    const fs::path p(path);
    std::string dir = p.parent_path().string();
    auto inode = inode_of(dir.empty() ? "." : dir);
    if (!inode) return std::nullopt;
    return Entry{*inode, p.filename().string()};
}

// Where a chain of symbolic links ends, even when its last target does not
// exist (a link named like the database's -wal may point at a -wal to come).
std::string link_target(const std::string& path) {
    std::string current = path;
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(current.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return current;
        std::array<char, PATH_MAX> buffer{};
        const ssize_t n = ::readlink(current.c_str(), buffer.data(), buffer.size() - 1);
        if (n <= 0) return current;
        fs::path next(std::string(buffer.data(), static_cast<std::size_t>(n)));
        current = next.is_absolute() ? next.string() : (fs::path(current).parent_path() / next).string();
    }
    return current;
}

bool sqlite_header(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return false;
    char header[16] = {};
    const bool sqlite = ::read(fd, header, sizeof header) == static_cast<ssize_t>(sizeof header) &&
                        std::memcmp(header, "SQLite format 3\0", 16) == 0;
    ::close(fd);
    return sqlite;
}

}  // namespace

void check_destination(const std::string& target, const std::string& database, const DestinationRules& rules) {
    auto refuse = [&](const char* code, const std::string& message) { throw domain::usage_error(code, message); };
    if (target.empty()) refuse("invalid_argument", "the file name is empty");
    const std::string shown = domain::shown_path(target);

    // The database and its companions, by the name SQLite gives them (after
    // the database's links) and by the name given.
    struct Protected {
        std::string path;
        const char* suffix;
    };
    std::vector<Protected> guarded;
    for (const std::string& base : {resolved_path(database), database})
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) guarded.push_back({base + suffix, suffix});

    const std::string end = link_target(target);
    const auto target_inode = inode_of(target);
    const auto entries = std::array{entry_of(target), entry_of(end)};
    for (const auto& g : guarded) {
        const auto inode = inode_of(g.path);
        const auto entry = entry_of(g.path);
        const bool same = (target_inode && inode && *target_inode == *inode) ||
                          (entry && (entries[0] == entry || entries[1] == entry));
        if (!same) continue;
        if (!g.suffix[0])
            refuse("target_is_source",
                   fmt::format("{} is the database being {}; name another file", shown, rules.verb));
        refuse("target_is_source", fmt::format("{} is the {} file of the database being {} ({}); name another file",
                                               shown, g.suffix, rules.verb, domain::shown_path(database)));
    }

    struct stat st {};
    const bool link_exists = ::lstat(target.c_str(), &st) == 0;
    if (::stat(target.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) refuse("target_is_directory", fmt::format("{} is a directory; name a file", shown));
        if (!S_ISREG(st.st_mode))
            refuse("target_not_regular",
                   fmt::format("{} is not a regular file (a device, a pipe or a socket); name a file, or use "
                               "standard output",
                               shown));
        if (rules.refuse_sqlite && sqlite_header(target))
            refuse("target_is_database",
                   fmt::format("{} is an SQLite database; an export never replaces one, even with --force", shown));
    }
    if (link_exists && !rules.replace)
        refuse("target_exists", fmt::format("{} already exists; use --force to replace it", shown));
}

}  // namespace invlog::store
