// Snapshots and replay: a SKU's state at any point is its nearest snapshot at
// or before that point plus the events after it, so neither the write path
// nor a look into the past reads a SKU's whole history.
#include <algorithm>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/store/sqlite_store.hpp"

namespace invlog::store {

namespace {

constexpr std::int64_t unbounded = std::numeric_limits<std::int64_t>::max();

}  // namespace

std::optional<Snapshot> SqliteStore::nearest_snapshot(std::string_view sku, const Point& at) {
    // Unsealed snapshots of format 1 cannot be told from edited ones.
    if (m_format < 2) return std::nullopt;
    Statement& st = m_conn->cached(
        "SELECT s.version, s.soh, s.available_quantity, s.reserved, s.seq, s.recorded_at, s.hash, e.hash, e.seq, "
        "e.recorded_at FROM snapshots s LEFT JOIN events e ON e.sku = s.sku AND e.version = s.version "
        "WHERE s.sku = ?1 AND s.version <= ?2 AND s.seq <= ?3 AND s.recorded_at <= ?4 "
        "ORDER BY s.version DESC LIMIT 1");
    st.bind(1, sku)
        .bind(2, at.max_version.value_or(unbounded))
        .bind(3, at.max_seq.value_or(unbounded))
        .bind(4, at.until.value_or(unbounded));
    if (!st.step()) return std::nullopt;
    Snapshot snapshot{std::string(sku),
                      domain::State{st.int64(1), st.int64(2), st.int64(3), st.int64(0)},
                      st.int64(4),
                      st.int64(5),
                      {}};
    auto stored = st.blob(6);
    auto event_hash = st.blob(7);
    bool trusted = !st.is_null(7) && stored.size() == snapshot.hash.size() &&
                   event_hash.size() == snapshot.hash.size() && st.int64(8) == snapshot.seq &&
                   st.int64(9) == snapshot.recorded_at;
    if (trusted) {
        util::Digest event{};
        std::copy(event_hash.begin(), event_hash.end(), event.begin());
        std::copy(stored.begin(), stored.end(), snapshot.hash.begin());
        trusted = snapshot_hash(m_sha, event, snapshot.sku, snapshot.state, snapshot.seq, snapshot.recorded_at) ==
                  snapshot.hash;
    }
    st.reset();
    if (trusted) return snapshot;
    warn_once("untrusted_snapshot",
              fmt::format("the snapshot of {} at version {} does not match the log (edited, or left by events that "
                          "were changed or removed); it is ignored and {} is replayed from its first event. Run "
                          "'invlog verify', then 'invlog rebuild'",
                          sku, snapshot.state.version, sku));
    return std::nullopt;
}

void SqliteStore::save_snapshot(const Snapshot& s, const util::Digest& event_hash) {
    const util::Digest hash = snapshot_hash(m_sha, event_hash, s.sku, s.state, s.seq, s.recorded_at);
    // REPLACE: a stale row at this version (left by a tampered file) must not
    // block the write path.
    Statement& st = m_conn->cached(
        "INSERT OR REPLACE INTO snapshots (sku, version, soh, available_quantity, reserved, seq, recorded_at, hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    st.bind(1, s.sku)
        .bind(2, s.state.version)
        .bind(3, s.state.soh)
        .bind(4, s.state.available_quantity)
        .bind(5, s.state.reserved)
        .bind(6, s.seq)
        .bind(7, s.recorded_at)
        .bind_blob(8, hash);
    st.run();
}

domain::SkuState SqliteStore::replay(std::string_view sku, const Point& at) {
    domain::SkuState result{std::string(sku), {}, 0};
    if (auto snapshot = nearest_snapshot(sku, at)) {
        result.state = snapshot->state;
        result.updated_at = snapshot->recorded_at;
    }
    Statement& st = m_conn->cached(
        "SELECT seq, event_type, data, recorded_at FROM events WHERE sku = ?1 AND version > ?2 AND version <= ?3 "
        "ORDER BY version");
    st.bind(1, sku).bind(2, result.state.version).bind(3, at.max_version.value_or(unbounded));
    while (st.step()) {
        // seq and recorded_at grow with a SKU's versions: the first event past
        // the point ends the replay without reading the rest of the history.
        if (st.int64(0) > at.max_seq.value_or(unbounded) || st.int64(3) > at.until.value_or(unbounded)) break;
        auto event = decode_data(st.text(1), st.text(2));
        if (!event) {
            std::int64_t seq = st.int64(0);
            st.reset();
            throw domain::Failure(domain::ErrorKind::integrity, "undecodable_event",
                                  fmt::format("event seq {} of {} cannot be decoded; run 'invlog verify'", seq, sku));
        }
        result.state = domain::evolve(result.state, *event);
        result.updated_at = st.int64(3);
    }
    st.reset();
    return result;
}

void SqliteStore::for_each_state_at(const Point& at, const std::function<void(const domain::SkuState&)>& fn) {
    // One ordered pass over the (sku, version) index instead of three
    // statements per SKU (the next SKU, its snapshot, its events): a SKU's
    // first row looks up its snapshot, and the scan jumps past the snapshot's
    // version, or past the rest of the SKU once an event lies beyond the
    // point. A million SKUs of one event each are then one scan.
    Statement& st = m_conn->cached(
        "SELECT sku, version, seq, event_type, data, recorded_at FROM events WHERE (sku, version) > (?1, ?2) "
        "ORDER BY sku, version");
    // A caller may stop the pass by throwing from `fn` (a page that is
    // full, a client that has gone): the statement is reset then too, so
    // that it holds no read open past the caller's transaction.
    struct ResetOnExit {
        Statement& st;
        ~ResetOnExit() { st.reset(); }
    } reset_on_exit{st};
    domain::SkuState current;
    bool open = false;
    auto seek = [&](std::int64_t version) {
        st.reset();
        st.bind(1, current.sku).bind(2, version);
    };
    auto emit = [&] {
        if (open && current.state.exists()) fn(current);
        open = false;
    };
    // Only the SKUs that have snapshot rows look one up: the next of them (in
    // the same order as the pass, SQLite's BINARY collation being memcmp) is
    // found once, and the SKUs before it, such as every SKU with fewer events
    // than the snapshot interval, skip the look-up.
    bool snapshots_left = m_format >= 2;  // nearest_snapshot trusts none before format 2
    bool next_known = false;
    std::string next_snapshotted;
    auto has_snapshots = [&](const std::string& sku) {
        if (snapshots_left && (!next_known || next_snapshotted < sku)) {
            Statement& next = m_conn->cached("SELECT sku FROM snapshots WHERE sku >= ?1 ORDER BY sku LIMIT 1");
            next.bind(1, sku);
            snapshots_left = next.step();
            if (snapshots_left) next_snapshotted = next.text(0);
            next.reset();
            next_known = true;
        }
        return snapshots_left && next_snapshotted == sku;
    };
    seek(0);  // the empty string sorts before every SKU
    while (st.step()) {
        const std::string_view sku = st.text(0);
        const std::int64_t version = st.int64(1);
        if (!open || sku != current.sku) {
            emit();
            current.sku.assign(sku);
            current.state = {};
            current.updated_at = 0;
            open = true;
            auto snapshot = has_snapshots(current.sku) ? nearest_snapshot(current.sku, at) : std::nullopt;
            if (snapshot) {
                current.state = snapshot->state;
                current.updated_at = snapshot->recorded_at;
                if (snapshot->state.version >= version) {
                    seek(snapshot->state.version);
                    continue;
                }
            }
        }
        // As in replay: the first event past the point ends the SKU.
        if (version > at.max_version.value_or(unbounded) || st.int64(2) > at.max_seq.value_or(unbounded) ||
            st.int64(5) > at.until.value_or(unbounded)) {
            seek(unbounded);
            continue;
        }
        auto event = decode_data(st.text(3), st.text(4));
        if (!event) {
            const std::int64_t seq = st.int64(2);
            st.reset();
            throw domain::Failure(domain::ErrorKind::integrity, "undecodable_event",
                                  fmt::format("event seq {} of {} cannot be decoded; run 'invlog verify'", seq,
                                              current.sku));
        }
        current.state = domain::evolve(current.state, *event);
        current.updated_at = st.int64(5);
    }
    st.reset();
    emit();
}

domain::State SqliteStore::load(std::string_view sku) {
    // A SKU this write transaction has already appended to: its state is known.
    if (auto it = m_tx.dirty.find(std::string(sku)); it != m_tx.dirty.end()) return it->second.state;
    return replay(sku, Point{}).state;
}

void SqliteStore::clear_derived() { m_conn->exec("DELETE FROM inventory; DELETE FROM snapshots;"); }

void SqliteStore::for_each_sku(const std::function<void(const std::string&)>& fn) {
    // A skip scan over the (sku, version) index: one lookup per SKU. The empty
    // string sorts before every valid SKU.
    std::string sku;
    for (;;) {
        Statement& st = m_conn->cached("SELECT sku FROM events WHERE sku > ?1 ORDER BY sku LIMIT 1");
        st.bind(1, sku);
        if (!st.step()) break;
        sku = st.text(0);
        st.reset();
        fn(sku);
    }
}

}  // namespace invlog::store
