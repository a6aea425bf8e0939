// RAII over sqlite3 / sqlite3_stmt and the mapping of SQLite errors to
// storage failures with messages an operator can act on.
#include "invlog/store/sqlite.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/store/file_access.hpp"
#include "invlog/store/read_access.hpp"

namespace invlog::store {

using domain::ErrorKind;
using domain::Failure;

Statement::Statement(Statement&& other) noexcept : m_conn(other.m_conn), m_stmt(other.m_stmt) {
    other.m_stmt = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_conn = other.m_conn;
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement& Statement::bind(int index, std::int64_t value) {
    if (int rc = sqlite3_bind_int64(m_stmt, index, value); rc != SQLITE_OK) m_conn->fail(rc, "binding");
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    if (int rc = sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        m_conn->fail(rc, "binding");
    return *this;
}

Statement& Statement::bind_static(int index, std::string_view value) {
    if (int rc = sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
        rc != SQLITE_OK)
        m_conn->fail(rc, "binding");
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
    return value ? bind(index, std::string_view(*value)) : bind(index, nullptr);
}

Statement& Statement::bind(int index, std::nullptr_t) {
    if (int rc = sqlite3_bind_null(m_stmt, index); rc != SQLITE_OK) m_conn->fail(rc, "binding");
    return *this;
}

Statement& Statement::bind_blob(int index, std::span<const std::uint8_t> value) {
    if (int rc = sqlite3_bind_blob(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        m_conn->fail(rc, "binding");
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(m_stmt);
    m_conn->fail(rc, "running a statement");
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    // Bindings are kept: every caller binds all of a statement's parameters
    // before stepping it again.
    sqlite3_reset(m_stmt);
}

bool Statement::is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }

std::int64_t Statement::int64(int col) const { return sqlite3_column_int64(m_stmt, col); }

std::string_view Statement::text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    if (!p) return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))};
}

std::optional<std::string> Statement::optional_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return std::string(text(col));
}

std::span<const std::uint8_t> Statement::blob(int col) const {
    auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, col));
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))};
}

namespace {

// The name SQLite is given for a path. SQLite reads a name that starts with
// "file:" as a URI when it was built with SQLITE_USE_URI (Debian's is), and
// ":memory:" and "" as databases that are never stored; SQLite has no flag
// that turns this off. "./" before a relative path makes every name a file.
std::string file_name(const std::string& path) { return path.starts_with('/') ? path : "./" + path; }

// Inside a transaction, SQLite journals the first image of every page a
// statement changes whenever the statement may have to be undone alone (the
// events INSERT may: its append-only trigger, its unique indexes), and of
// every page changed within a savepoint (a server's group commit runs each
// request in one). It keeps that journal in memory up to 64 KiB and then in a
// temporary file for the rest of the connection's life: every later
// statement of a long batch then wrote its pages there too, more writes than
// the database itself. Up to 4 MiB (about a thousand pages, far more than a
// statement or a request changes) it stays in memory, emptied when the
// statement or the savepoint ends. The setting is SQLite's, for the whole
// process, and only takes effect before SQLite's first use: later calls
// change nothing.
void keep_statement_journals_in_memory() {
    static const bool once = [] {
        sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 4 << 20);
        return true;
    }();
    (void)once;
}

}  // namespace

Connection::Connection(const std::string& path, bool create, bool read_only)
    : Connection(path, path,
                 (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                     (create && !read_only ? SQLITE_OPEN_CREATE : 0)) {}

Connection::Connection(const std::string& path, const std::string& file, int flags) : m_path(path) {
    // A pipe or a device would block the open or the first read forever.
    if (struct stat st{}; !(flags & SQLITE_OPEN_URI) && ::stat(file.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
        throw Failure(ErrorKind::storage, "cannot_open",
                      fmt::format("cannot open database {}: it is not a regular file", domain::shown_path(path)));
    // SQLite would open a file it may not write read-only, and still create
    // the -wal and -shm beside it, owned by this user: in a shared directory
    // they would lock the owner out. Refused before SQLite sees the file.
    if ((flags & SQLITE_OPEN_READWRITE) && ::access(file.c_str(), F_OK) == 0 &&
        ::faccessat(AT_FDCWD, file.c_str(), W_OK, AT_EACCESS) != 0) {
        const std::string why = why_not_writable(file);
        throw Failure(ErrorKind::storage, "read_only",
                      fmt::format("cannot write to {}: the database is read-only: {}", domain::shown_path(path),
                                  why.empty() ? "this user may not write the file" : why));
    }
    const std::string name = (flags & SQLITE_OPEN_URI) ? file : file_name(file);
    keep_statement_journals_in_memory();
    int rc = sqlite3_open_v2(name.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        const std::string why = (flags & SQLITE_OPEN_READONLY) ? why_not_readable(file) : why_not_writable(file);
        throw Failure(ErrorKind::storage, "cannot_open",
                      fmt::format("cannot {} database {}: {}", (flags & SQLITE_OPEN_CREATE) ? "create or open" : "open",
                                  domain::shown_path(path), why.empty() ? msg : why));
    }
    sqlite3_extended_result_codes(m_db, 1);
}

std::unique_ptr<Connection> Connection::open_for_reading(const std::string& path, int lock_timeout_ms,
                                                         bool allow_immutable) {
    if (auto immutable = allow_immutable ? ImmutableRead::begin(path, lock_timeout_ms) : nullptr) {
        std::unique_ptr<Connection> conn(
            new Connection(path, immutable->uri(), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI));
        conn->m_immutable = std::move(immutable);
        return conn;
    }
    check_shared_memory_readable(path);
    return std::unique_ptr<Connection>(new Connection(path, path, SQLITE_OPEN_READONLY));
}

std::unique_ptr<Connection> Connection::open_again() const {
    if (m_immutable) {
        std::unique_ptr<Connection> conn(
            new Connection(m_path, m_immutable->uri(), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI));
        conn->m_immutable = m_immutable;
        return conn;
    }
    return std::unique_ptr<Connection>(new Connection(m_path, m_path, SQLITE_OPEN_READONLY));
}

std::unique_ptr<Connection> Connection::create_as(const std::string& file, const std::string& shown_as) {
    return std::unique_ptr<Connection>(new Connection(shown_as, file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
}

void Connection::check_unchanged() const {
    if (m_immutable) m_immutable->check();
}

Connection::~Connection() {
    m_cache.clear();
    sqlite3_close_v2(m_db);
}

void Connection::exec(const char* sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) fail(rc, "running a statement");
}

Statement Connection::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc =
        sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc, "preparing a statement");
    return Statement(*this, stmt);
}

Statement& Connection::cached(const char* sql) {
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) it = m_cache.emplace(sql, prepare(sql)).first;
    it->second.reset();
    return it->second;
}

void Connection::set_busy_timeout(int ms) {
    m_busy_timeout_ms = ms;
    m_busy_seed = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(this)) ^
                  static_cast<std::uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    sqlite3_busy_handler(m_db, &Connection::on_busy, this);
}

int Connection::on_busy(void* self, int count) {
    auto* c = static_cast<Connection*>(self);
    using namespace std::chrono;
    const auto now_us = duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
    if (count == 0) c->m_busy_deadline_us = now_us + std::int64_t{c->m_busy_timeout_ms} * 1000;
    if (now_us >= c->m_busy_deadline_us) return 0;
    // 0.5-4 ms with jitter, so that waiters do not wake in lockstep.
    c->m_busy_seed = c->m_busy_seed * 1664525u + 1013904223u;
    std::int64_t sleep_us = 500 + (c->m_busy_seed >> 8) % (count < 8 ? 1000 : 3500);
    sleep_us = std::min(sleep_us, c->m_busy_deadline_us - now_us);
    std::this_thread::sleep_for(microseconds(sleep_us));
    return 1;
}

std::int64_t Connection::pragma_int(const char* pragma) {
    Statement st = prepare(fmt::format("PRAGMA {}", pragma));
    return st.step() ? st.int64(0) : 0;
}

void Connection::fail(int rc, std::string_view doing) const {
    const char* detail = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
    const std::string path = domain::shown_path(m_path);
    // SQLite reports a full disk met outside its page writes (growing the
    // -shm file, syncing) as an I/O error; the system error tells.
    const int system_error = m_db ? sqlite3_system_errno(m_db) : 0;
    if ((rc & 0xff) == SQLITE_IOERR && (system_error == ENOSPC || system_error == EDQUOT)) rc = SQLITE_FULL;
    auto because = [&](const std::string& why) { return why.empty() ? std::string(detail) : why; };
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw Failure(ErrorKind::storage, "locked",
                      fmt::format("database {} is locked by another process; gave up waiting (see --lock-timeout)",
                                  path));
    case SQLITE_NOTADB:
        throw Failure(ErrorKind::storage, "not_invlog_database",
                      fmt::format("{} is not an invlog database (not an SQLite file); left untouched", path));
    case SQLITE_CORRUPT:
        throw Failure(ErrorKind::storage, "corrupt", fmt::format("database {} is corrupt: {}", path, detail));
    case SQLITE_FULL:
        throw Failure(ErrorKind::storage, "disk_full",
                      fmt::format("cannot {} {}: the disk or file-size limit is full ({}){}",
                                  sqlite3_db_readonly(m_db, "main") == 1 ? "read" : "write to", path,
                                  std::strerror(system_error ? system_error : ENOSPC),
                                  sqlite3_db_readonly(m_db, "main") == 1 ? "" : "; nothing was recorded"));
    case SQLITE_READONLY:
        throw Failure(ErrorKind::storage, "read_only",
                      fmt::format("cannot write to {}: the database is read-only: {}", path,
                                  because(why_not_writable(m_path))));
    case SQLITE_CANTOPEN:
        throw Failure(ErrorKind::storage, "cannot_open",
                      fmt::format("cannot open database {}: {}", path,
                                  because(sqlite3_db_readonly(m_db, "main") == 1 ? why_not_readable(m_path)
                                                                                 : why_not_writable(m_path))));
    case SQLITE_IOERR: throw Failure(ErrorKind::storage, "io_error", fmt::format("I/O error on {}: {}", path, detail));
    default:
        throw Failure(ErrorKind::storage, "sqlite_error",
                      fmt::format("database error on {} while {}: {}", path, doing, detail));
    }
}

}  // namespace invlog::store
