// invlog copy: the log of one store into another, resumable (app/copy.hpp).
#include "invlog/app/copy.hpp"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::app {

namespace {

using domain::ErrorKind;
using domain::Failure;

std::string hex_or_none(const store::Head& h) { return h.seq > 0 ? util::to_hex(h.hash) : "none"; }

// The destination must hold nothing, or the source's first dest_head.seq
// events: the hash at its head chains every event before it, so one
// comparison there covers the whole prefix.
void check_prefix(store::EventStore& source, store::EventStore& dest, const store::Head& src_head,
                  const store::Head& dest_head) {
    if (dest_head.seq == 0) return;
    if (dest_head.seq > src_head.seq)
        throw Failure(ErrorKind::conflict, "copy_destination_ahead",
                      fmt::format("cannot copy {} into {}: it holds {} events and the source only {}; it is not a "
                                  "copy of this log (nothing was written)",
                                  source.path(), dest.path(), dest_head.seq, src_head.seq));
    std::optional<store::RawEvent> at;
    store::EventFilter f;
    f.after_seq = dest_head.seq - 1;
    f.limit = 1;
    source.for_each_raw(f, [&](const store::RawEvent& e) {
        at = e;
        return false;
    });
    if (!at || at->seq != dest_head.seq || at->hash != dest_head.hash)
        throw Failure(ErrorKind::conflict, "copy_destination_diverges",
                      fmt::format("cannot copy {} into {}: its head, seq {} with hash {}, is not the source's event "
                                  "at that seq ({}); it holds another log (nothing was written)",
                                  source.path(), dest.path(), dest_head.seq, util::to_hex(dest_head.hash),
                                  at && at->seq == dest_head.seq ? util::to_hex(at->hash) : "missing"));
}

// A key the destination already holds must be the source's own (recorded by
// an earlier, interrupted run).
void check_keys(store::EventStore& source, store::EventStore& dest) {
    source.for_each_key_target([&](const store::KeyTarget& t) {
        auto there = dest.find_idempotency(t.key);
        if (there && (there->fingerprint != t.entry.fingerprint || there->sku != t.entry.sku ||
                      there->version != t.entry.version || there->command_id != t.entry.command_id))
            throw Failure(ErrorKind::conflict, "copy_key_conflict",
                          fmt::format("cannot copy {} into {}: it holds idempotency key '{}' for another command "
                                      "({} version {}) than the source ({} version {}) (nothing was written)",
                                      source.path(), dest.path(), domain::shown(t.key), domain::shown(there->sku),
                                      there->version, domain::shown(t.entry.sku), t.entry.version));
    });
}

}  // namespace

CopyResult copy(store::EventStore& source, store::EventStore& dest, const CopyOptions& options) {
    if (options.batch < 1) throw domain::usage_error("invalid_argument", "the copy batch must be at least 1 event");
    CopyResult result;
    // One moment of the source for the whole copy: its events, settings and
    // keys agree with each other.
    store::EventStore::Transaction source_tx(source, false);
    const store::Head src_head = source.head();
    {
        store::EventStore::Transaction read(dest, false);
        const store::Head dest_head = dest.head();
        check_prefix(source, dest, src_head, dest_head);
        check_keys(source, dest);
        result.resumed_from = dest_head.seq;
        read.commit();
    }

    const std::int64_t total = src_head.seq - result.resumed_from;
    std::optional<store::EventStore::Transaction> tx;
    std::int64_t in_batch = 0, batches = 0, head_seq = result.resumed_from;
    auto commit = [&] {
        tx->commit();
        tx.reset();
        in_batch = 0;
        ++batches;
        if (options.progress) options.progress(result.events_copied, total);
        if (options.after_batch) options.after_batch(batches, head_seq);
    };
    store::EventFilter rest;
    rest.after_seq = result.resumed_from;
    rest.max_seq = src_head.seq;
    source.for_each_raw(rest, [&](const store::RawEvent& e) {
        if (!tx) tx.emplace(dest, true);
        dest.import_event(e);
        head_seq = e.seq;
        ++result.events_copied;
        if (++in_batch == options.batch) commit();
        return true;
    });
    if (tx) commit();

    // The settings, then the keys, in transactions of at most a batch of
    // keys each (a key already there is the source's: checked above).
    std::optional<store::EventStore::Transaction> meta(std::in_place, dest, true);
    std::set<std::string, std::less<>> kept;
    source.for_each_setting([&](std::string_view key, std::string_view value) {
        kept.emplace(key);
        if (dest.read_setting(key) != std::optional<std::string>(std::string(value))) dest.write_setting(key, value);
        ++result.settings;
    });
    std::vector<std::string> extra;
    dest.for_each_setting([&](std::string_view key, std::string_view) {
        if (!kept.contains(key)) extra.emplace_back(key);
    });
    for (const auto& key : extra) dest.delete_setting(key);
    std::int64_t keys_in_batch = 0;
    source.for_each_key_target([&](const store::KeyTarget& t) {
        if (!meta) meta.emplace(dest, true);
        if (dest.find_idempotency(t.key)) return;
        dest.record_idempotency(t.key, t.entry);
        ++result.idempotency_keys;
        if (++keys_in_batch == options.batch) {
            meta->commit();
            meta.reset();
            keys_in_batch = 0;
        }
    });
    if (meta) {
        meta->commit();
        meta.reset();
    }
    source_tx.commit();

    auto rebuilt = rebuild(dest, {});
    result.skus = rebuilt.skus;
    result.snapshots = rebuilt.snapshots;
    {
        store::EventStore::Transaction read(dest, false);
        result.head = dest.head();
        read.commit();
    }
    if (result.head.seq != src_head.seq || result.head.hash != src_head.hash)
        throw Failure(ErrorKind::integrity, "copy_head_mismatch",
                      fmt::format("the copy's head in {} is seq {} ({}), the source's seq {} ({})", dest.path(),
                                  result.head.seq, hex_or_none(result.head), src_head.seq, hex_or_none(src_head)));
    return result;
}

}  // namespace invlog::app
