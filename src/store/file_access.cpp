// Looking at the file system to explain a file that cannot be opened.
#include "invlog/store/file_access.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "invlog/domain/text.hpp"

namespace invlog::store {

namespace fs = std::filesystem;

namespace {

std::string parent_of(const std::string& path) {
    std::string dir = fs::path(path).parent_path().string();
    return dir.empty() ? "." : dir;
}

std::string describe(const std::string& what, const std::string& path, const struct stat& st) {
    return fmt::format("{} {} is not writable by {} (it belongs to {}, mode {:04o})", what, domain::shown_path(path),
                       user_name(geteuid()), user_name(st.st_uid), st.st_mode & 07777);
}

}  // namespace

std::string user_name(unsigned uid) {
    if (const passwd* pw = getpwuid(uid); pw && pw->pw_name) return fmt::format("user {}", pw->pw_name);
    return fmt::format("uid {}", uid);
}

std::string why_not_writable(const std::string& path) {
    const std::string dir = parent_of(path);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        if (errno == ENOENT) return fmt::format("the directory {} does not exist", domain::shown_path(dir));
        return fmt::format("the directory {} cannot be reached: {}", domain::shown_path(dir), std::strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) return fmt::format("{} is not a directory", domain::shown_path(dir));
    struct stat file {};
    const bool exists = ::stat(path.c_str(), &file) == 0;
    if (exists && ::faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) != 0)
        return errno == EROFS ? fmt::format("{} is on a read-only file system", domain::shown_path(path))
                              : describe("the file", path, file);
    // SQLite creates its -wal, -shm and -journal files beside the database.
    if (::faccessat(AT_FDCWD, dir.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
        if (errno == EROFS) return fmt::format("{} is on a read-only file system", domain::shown_path(dir));
        return describe(exists ? "the directory (where SQLite keeps its -wal and -shm files)" : "the directory", dir,
                        st);
    }
    for (const char* suffix : {"-wal", "-shm"}) {
        const std::string companion = path + suffix;
        struct stat cst {};
        if (::stat(companion.c_str(), &cst) == 0 && ::faccessat(AT_FDCWD, companion.c_str(), W_OK, AT_EACCESS) != 0)
            return describe("the file", companion, cst);
    }
    return {};
}

std::string why_not_readable(const std::string& path) {
    const std::string dir = parent_of(path);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 && errno == ENOENT)
        return fmt::format("the directory {} does not exist", domain::shown_path(dir));
    if (::stat(path.c_str(), &st) != 0) return {};
    if (::faccessat(AT_FDCWD, path.c_str(), R_OK, AT_EACCESS) != 0)
        return fmt::format("the file {} is not readable by {} (it belongs to {}, mode {:04o})",
                           domain::shown_path(path), user_name(geteuid()), user_name(st.st_uid), st.st_mode & 07777);
    for (const char* suffix : {"-wal", "-shm"}) {
        const std::string companion = path + suffix;
        struct stat cst {};
        if (::stat(companion.c_str(), &cst) == 0 && ::faccessat(AT_FDCWD, companion.c_str(), R_OK, AT_EACCESS) != 0)
            return fmt::format("the file {} is not readable by {} (it belongs to {}, mode {:04o})",
                               domain::shown_path(companion), user_name(geteuid()), user_name(cst.st_uid),
                               cst.st_mode & 07777);
    }
    return {};
}

std::string resolved_path(const std::string& path) {
    char* real = ::realpath(path.c_str(), nullptr);
    if (!real) return path;
    std::string out(real);
    std::free(real);
    return out;
}

}  // namespace invlog::store
