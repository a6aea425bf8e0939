// SqliteStore::import_event: appending an event exactly as another store
// recorded it (invlog copy), after checking that it continues this file's
// log, so that a copy can never fork, skip or rewrite the chain it receives.
#include <limits>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::store {

using domain::ErrorKind;
using domain::Failure;

namespace {

Failure refused(const std::string& path, const RawEvent& e, const std::string& why) {
    return Failure(ErrorKind::integrity, "import_out_of_order",
                   fmt::format("cannot copy seq {} ({} version {}) into {}: {}", e.seq, e.sku, e.version, path, why));
}

// Whether the event follows the event id rules of format 2 (schema.hpp) as
// verify checks them on the first event under that format: a version 7 UUID
// whose time is recorded_at.
bool follows_id_rules(const RawEvent& e) {
    auto id = util::parse_uuid(e.event_id);
    auto ms = id ? util::uuid_v7_ms(*id) : std::nullopt;
    return ms && *ms == e.recorded_at;
}

}  // namespace

void SqliteStore::import_event(const RawEvent& e) {
    const Head h = m_tx.head ? *m_tx.head : head();
    constexpr auto last = std::numeric_limits<std::int64_t>::max();
    if (h.seq == last || e.seq != h.seq + 1)
        throw refused(path(), e,
                      fmt::format("the log here ends at seq {}, so the next event must be seq {}", h.seq,
                                  h.seq == last ? std::string("past the integer range") : std::to_string(h.seq + 1)));

    Statement& top = m_conn->cached("SELECT max(version) FROM events WHERE sku = ?1");
    top.bind(1, e.sku);
    const std::int64_t version = top.step() && !top.is_null(0) ? top.int64(0) : 0;
    top.reset();
    if (version == last || e.version != version + 1)
        throw refused(path(), e, fmt::format("{}'s last version here is {}", e.sku, version));

    if (chain_hash(m_sha, h.hash, e) != e.hash)
        throw refused(path(), e,
                      fmt::format("its hash {} is not the chain hash of its contents after the hash of seq {}",
                                  util::to_hex(e.hash), h.seq));

    // A log begun under format 1 has event ids that format 2's rules do not
    // hold for: where this file records that those rules begin must follow
    // the log's own start of them, not the day the copy was made, or verify
    // would report every older event here (and only here).
    if (m_format >= 2 && !follows_id_rules(e)) {
        Statement& move = m_conn->cached("UPDATE formats SET first_seq = ?1 + 1 WHERE version = 2 AND first_seq = ?1");
        move.bind(1, e.seq);
        move.run();
    }

    insert_event(e);
    if (m_tx.active) m_tx.head = Head{e.seq, e.hash, e.recorded_at, e.event_id};
}

}  // namespace invlog::store
