// The SQLite implementation of the store interface: one file, opened and
// recognised (schema.hpp), created or upgraded when written, with the hash
// chain, read model, snapshots and log queries in SQL. All SQL of invlog lives
// in store/, behind this class and the file-only operations that take it
// (backup.hpp, the migrations).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "invlog/store/event_store.hpp"
#include "invlog/store/sqlite.hpp"

namespace invlog::store {

class SqliteStore final : public EventStore {
public:
    explicit SqliteStore(const OpenOptions& options);
    ~SqliteStore() override;

    Connection& connection() { return *m_conn; }
    const std::string& path() const override { return m_conn->path(); }
    bool created() const override { return m_created; }
    int upgraded() const override { return m_upgraded; }
    std::int64_t format() const override { return m_format; }
    ReadCheck read_check() const override;

    domain::State load(std::string_view sku) override;
    std::vector<domain::EventRecord> append(std::string_view sku, const domain::State& before,
                                            const std::vector<domain::Event>& events, const domain::Metadata& meta,
                                            domain::Millis now) override;
    std::optional<IdempotencyEntry> find_idempotency(std::string_view key) override;
    void record_idempotency(std::string_view key, const IdempotencyEntry& entry) override;
    Head head() override;
    // import.cpp
    void import_event(const RawEvent& event) override;

    std::optional<domain::SkuState> read_state(std::string_view sku) override;
    using EventStore::for_each_state;
    void for_each_state(const StateRange& range, const std::function<void(const domain::SkuState&)>& fn) override;
    void write_state(const domain::SkuState& s) override;

    std::optional<Snapshot> nearest_snapshot(std::string_view sku, const Point& at) override;
    void save_snapshot(const Snapshot& snapshot, const util::Digest& event_hash) override;
    domain::SkuState replay(std::string_view sku, const Point& at) override;
    void for_each_state_at(const Point& at, const std::function<void(const domain::SkuState&)>& fn) override;
    void clear_derived() override;

    void for_each_sku(const std::function<void(const std::string&)>& fn) override;
    void for_each_raw(const EventFilter& filter, const std::function<bool(const RawEvent&)>& fn) override;
    void for_each_event(const EventFilter& filter, const std::function<bool(const domain::EventRecord&)>& fn) override;
    std::int64_t count_events(const EventFilter& filter) override;

    std::int64_t last_complete_seq(std::int64_t seq) override;
    std::int64_t last_complete_version(std::string_view sku, std::int64_t version) override;

    std::optional<std::string> read_setting(std::string_view key) override;
    void write_setting(std::string_view key, std::string_view value) override;
    bool delete_setting(std::string_view key) override;
    void for_each_setting(const std::function<void(std::string_view key, std::string_view value)>& fn) override;

    std::optional<ExportPosition> read_export_position(std::string_view destination) override;
    std::vector<ExportPosition> list_export_positions() override;
    void write_export_position(std::string_view destination, std::int64_t last_seq, domain::Millis now,
                               const std::optional<util::Digest>& last_hash = std::nullopt,
                               const std::optional<std::string>& compat = std::nullopt) override;
    void forget_export_position(std::string_view destination) override;

    void for_each_audit_row(const std::function<void(const AuditRow&)>& fn) override;
    void for_each_key_target(const std::function<void(const KeyTarget&)>& fn) override;
    void for_each_orphan_snapshot(const std::function<void(const Snapshot&)>& fn) override;
    // Rows of the tables other than events that hold a value of the wrong
    // storage type (schema.hpp, column_types()).
    void for_each_wrong_type_row(const std::function<void(const WrongTypeRow&)>& fn) override;
    // From the formats table.
    std::optional<std::int64_t> first_seq_of_format(std::int64_t version) override;
    AheadOfLog derived_ahead_of_log() override;
    std::int64_t delete_keys_ahead_of_log() override;
    // What PRAGMA quick_check finds.
    std::vector<std::string> quick_check() override;
    // On a second read-only connection, on its own thread, when that
    // connection sees the same head as this one's read transaction (always
    // for a file read immutably, whose other connections see the same
    // file); else here, on this connection, before returning.
    std::future<std::vector<std::string>> start_quick_check() override;
    bool for_each_audit_row_by_sku(const std::function<void(const AuditRow&)>& on_event,
                                   const std::function<void(const domain::SkuState&)>& on_state) override;
    bool has_audit_rows_by_sku() const override { return true; }
    Counts counts() override;

private:
    // Inserts one event row as it is (append and import_event); the row's
    // text is bound without a copy, so it must outlive the call.
    void insert_event(const RawEvent& e);
    void begin_transaction(bool write) override;
    void commit_transaction(bool write) override;
    void end_transaction(bool write, bool committed) noexcept override;
    void begin_savepoint() override;
    void release_savepoint() override;
    void rollback_savepoint() noexcept override;

    void open_file(const OpenOptions& options);
    void flush_read_model();
    Statement prepare_filter(const EventFilter& filter);

    // What a write transaction knows without asking SQLite again: the head
    // after its own appends, the snapshot interval, and the read-model rows
    // it changed, written once per SKU just before COMMIT (a batch touching
    // a SKU many times writes its row once), and which load() answers from.
    static constexpr std::size_t max_dirty_skus = 100'000;
    struct WriteCache {
        bool active = false;
        std::optional<Head> head;
        std::optional<std::int64_t> snapshot_every;
        std::unordered_map<std::string, domain::SkuState> dirty;
        // While savepoints are open: the earlier value of each dirty entry
        // changed since the outermost one, to put back on rollback; and for
        // each open savepoint, the head and the undo length at its start.
        std::vector<std::pair<std::string, std::optional<domain::SkuState>>> undo;
        std::vector<std::pair<std::optional<Head>, std::size_t>> savepoints;
    };
    WriteCache m_tx;
    void remember(domain::SkuState row);

    std::unique_ptr<Connection> m_conn;
    util::Sha256 m_sha;
    bool m_created = false;
    int m_upgraded = 0;
    std::int64_t m_format = 0;
};

// The columns of an events row in the order read_raw expects them.
inline constexpr const char* raw_columns =
    "seq, event_id, sku, version, event_type, data, recorded_at, actor, reason, command_id, idempotency_key, hash";

// Reads the raw_columns of the current row, the first of them at column `first`.
RawEvent read_raw(const Statement& st, int first = 0);
// The same into `into`, reusing the strings it holds.
void read_raw(const Statement& st, int first, RawEvent& into);

// Opens a location that must be a file, for the commands that work on a
// file as a file (backup): a MongoDB URI is a usage Failure
// (file_only_command) naming the command.
std::unique_ptr<SqliteStore> open_file_store(const OpenOptions& options, std::string_view command);

}  // namespace invlog::store
