// What every subcommand receives: the global options, resolved, and the
// output streams.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "invlog/output/format.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::cli {

struct GlobalOptions {
    std::string db;
    std::string output = "text";
    std::string actor;
    std::string reason;
    std::string lock_timeout = "5000";
    bool quiet = false;
    bool no_progress = false;
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

    // --actor, else $INVLOG_ACTOR, else the login name.
    std::string actor() const;
    // --reason when given.
    std::optional<std::string> reason() const;

    std::unique_ptr<store::EventStore> open_store(store::OpenMode mode) const;

    void write(std::string_view text) const;
    // Pushes written text out now; throws a storage Failure when the output
    // cannot be written (a closed pipe, a full disk).
    void flush() const;

private:
    GlobalOptions m_options;
    output::Format m_format = output::Format::text;
    output::Style m_style;
    std::string m_db_path;
    bool m_default_path = false;
    int m_lock_timeout_ms = 5000;
    std::ostream& m_out;
};

// The default database path: $INVLOG_DB, else $XDG_DATA_HOME/invlog/inventory.db,
// else ~/.local/share/invlog/inventory.db.
std::string default_db_path();

}  // namespace invlog::cli
