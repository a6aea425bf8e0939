// What every subcommand receives: the global options, resolved, and the
// output streams.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/client/inventory.hpp"
#include "invlog/http/remote.hpp"
#include "invlog/output/format.hpp"
#include "invlog/store/event_store.hpp"
#include "invlog/store/sqlite_store.hpp"

namespace invlog::cli {

struct GlobalOptions {
    std::string db;
    std::string output = "text";
    std::string actor;
    std::string reason;
    std::string lock_timeout = "5000";
    std::string token_file;  // a server's token (--db URL)
    bool quiet = false;
    bool no_progress = false;
    std::string color = "auto";
    bool no_header = false;
    bool verbose = false;  // say what goes wrong in the background (the trace exporter)
};

class Context {
public:
    Context(const GlobalOptions& options, std::ostream& out);

    output::Format format() const { return m_format; }
    const output::Style& style() const { return m_style; }
    bool quiet() const { return m_options.quiet; }
    // Progress lines on stderr: only on a terminal and without --no-progress.
    bool progress() const;
    const std::string& db_path() const { return m_db_path; }
    int lock_timeout_ms() const { return m_lock_timeout_ms; }
    // Whether --db (or INVLOG_DB) names a server, http:// or https://.
    bool remote() const { return m_remote.has_value(); }
    // Refuses, with exit 2, a command that works only beside the database
    // file when --db names a server.
    void refuse_remote(std::string_view command) const;

    // --actor, else $INVLOG_ACTOR, else the login name.
    std::string actor() const;
    // --reason when given.
    std::optional<std::string> reason() const;

    // The inventory --db names, for the commands that work near or far: the
    // file, or the server of a URL (through the HTTP module). live: a read
    // that goes on while others write (--follow), never in SQLite's
    // immutable mode, which would keep showing the file as it was opened.
    std::unique_ptr<client::Inventory> inventory(store::OpenMode mode, bool live = false);
    // The store itself, for the commands that only work beside it.
    std::unique_ptr<store::EventStore> open_store(store::OpenMode mode, bool live = false);
    // The database file, for the commands that work on a file as a file
    // (backup): a --db that is not a file is refused, naming the command.
    std::unique_ptr<store::SqliteStore> open_file_store(store::OpenMode mode, std::string_view command);
    // Throws when a store read without locks changed while it was read (a
    // file read in immutable mode, store/read_access.hpp); run() calls it once
    // the command is done. The reads are held (and their locks with them)
    // until then.
    void check_reads() const;

    // Writes to standard output; throws a storage Failure with code
    // output_failed once the output cannot be written (a closed pipe, a full
    // disk), so that a command stops instead of producing output nobody gets.
    void write(std::string_view text) const;
    // Pushes written text out now; throws as write() does.
    void flush() const;

    // Says that the command's change is committed, naming it for the message
    // ("receive A (now at version 5)", "apply: 3 lines"): from then on an
    // output failure exits 7, "recorded, but the output could not be
    // written", so that a script does not run the command again.
    void recorded(std::string what) { m_recorded = std::move(what); }
    const std::optional<std::string>& recorded() const { return m_recorded; }

private:
    GlobalOptions m_options;
    output::Format m_format = output::Format::text;
    output::Style m_style;
    std::string m_db_path;
    bool m_default_path = false;
    std::optional<http::Endpoint> m_remote;
    int m_lock_timeout_ms = 5000;
    std::ostream& m_out;
    std::optional<std::string> m_recorded;
    std::vector<store::EventStore::ReadCheck> m_reads;
    void watch(store::EventStore& store);
};

// The default database path: $INVLOG_DB, else $XDG_DATA_HOME/invlog/inventory.db,
// else ~/.local/share/invlog/inventory.db.
std::string default_db_path();

}  // namespace invlog::cli
