// How events are written into and read back from rows: the data column's
// JSON, and the canonical bytes that the hash chain covers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "invlog/domain/events.hpp"
#include "invlog/domain/record.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::store {

// {"soh":10,"available_quantity":10,"reserved":0}: fields in catalogue order,
// no spaces. The stored text is what the hash covers.
std::string encode_data(const domain::Event& event);

// Parses a data column for an event type; nullopt when the type is unknown or
// the JSON is not an object holding the type's integer fields.
std::optional<domain::Event> decode_data(std::string_view type, std::string_view data);

// An event row as stored, before decoding.
struct RawEvent {
    std::int64_t seq = 0;
    std::string event_id;
    std::string sku;
    std::int64_t version = 0;
    std::string event_type;
    std::string data;
    domain::Millis recorded_at = 0;
    domain::Metadata meta;
    util::Digest hash{};
};

// The canonical bytes of an event for the hash chain: the fields seq,
// event_id, sku, version, event_type, data, recorded_at, actor, reason,
// command_id, idempotency_key in this order, integers as decimal text, each
// written as 0x00 + 4-byte big-endian length + bytes, or 0x01 for NULL.
// They cover values as read back, not the storage type SQLite holds them in
// (a SKU stored as a BLOB, a recorded_at stored as a REAL truncated to its
// integer, give the same bytes): the format stays the same for every file
// ever written, and types are held by the schema's CHECKs and reported by
// verify (wrong_type) instead.
std::string canonical_bytes(const RawEvent& e);
void canonical_bytes(const RawEvent& e, std::string& out);  // into a reused buffer

// SHA-256(previous || canonical_bytes(e)).
util::Digest chain_hash(util::Sha256& sha, const util::Digest& previous, const RawEvent& e);

// The hash of a snapshot: SHA-256(hash of the event at its version || the
// fields sku, version, soh, available_quantity, reserved, seq, recorded_at in
// this order, framed as in canonical_bytes). It ties the snapshot to one
// event of the chain and seals its quantities: a snapshot edited, or left
// behind by a log that was rewritten or cut under it, no longer matches.
util::Digest snapshot_hash(util::Sha256& sha, const util::Digest& event_hash, std::string_view sku,
                           const domain::State& state, std::int64_t seq, domain::Millis recorded_at);

}  // namespace invlog::store
