// The store's documents in BSON and back: events (the export's shape plus
// idempotency_key), states, snapshots, keys, the head and export positions.
// Reading is lenient: a field of the wrong type reads as empty and is named
// in wrong_types, so that verify reports it instead of failing to read.
#pragma once

#include <string>
#include <string_view>

#include "invlog/store/audit.hpp"
#include "invlog/store/export_positions.hpp"
#include "mongo_db.hpp"

namespace invlog::store::mongo {

Bson event_doc(const RawEvent& e);
// The event, and in wrong_types the fields of the wrong type.
RawEvent read_event(const bson_t& doc, std::string* wrong_types = nullptr);

Bson state_doc(const domain::SkuState& s);
domain::SkuState read_state_doc(const bson_t& doc, std::string* wrong_types = nullptr);

// _id "VERSION@SKU"; the snapshot's hash as hex.
std::string snapshot_id(std::string_view sku, std::int64_t version);
Bson snapshot_doc(const Snapshot& s);
Snapshot read_snapshot(const bson_t& doc, std::string* wrong_types = nullptr);

Bson key_doc(std::string_view key, const IdempotencyEntry& e);
IdempotencyEntry read_key(const bson_t& doc, std::string* wrong_types = nullptr);
std::string doc_id(const bson_t& doc);

// The head's fields, for $set and from the meta document "head".
Bson head_fields(const Head& h);
Head read_head(const bson_t& doc);

Bson position_doc(const ExportPosition& p);
ExportPosition read_position(const bson_t& doc);

util::Digest digest_of(std::string_view hex);

}  // namespace invlog::store::mongo
