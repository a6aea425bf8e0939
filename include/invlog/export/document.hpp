// The MongoDB documents invlog exports: one per event, in the reference
// inventory service's shape so that its consumers read our events, and one
// per SKU state for the inventory collection (--with-state).
#pragma once

#include <bson/bson.h>

#include <string>
#include <utility>

#include "invlog/domain/record.hpp"
#include "invlog/export/seed.hpp"

namespace invlog::exporter {

// An owned, heap-allocated BSON document. (std::unique_ptr<bson_t> would
// drop bson_t's alignment attribute, which GCC warns about.)
class Bson {
public:
    explicit Bson(bson_t* doc) : m_doc(doc) {}
    Bson(Bson&& other) noexcept : m_doc(other.m_doc) { other.m_doc = nullptr; }
    Bson& operator=(Bson&& other) noexcept {
        std::swap(m_doc, other.m_doc);
        return *this;
    }
    ~Bson() {
        if (m_doc) bson_destroy(m_doc);
    }
    bson_t* get() const { return m_doc; }
    const bson_t& operator*() const { return *m_doc; }

private:
    bson_t* m_doc;
};

// {_id, event_id, event_type, sku, created_at, <data fields>, seq, version,
//  actor, reason, command_id, hash}: _id and event_id are the event's UUID as
// a string, created_at is a BSON date (recorded_at), the data fields (soh,
// available_quantity, reserved, quantity, as the event has them), seq and
// version are 64-bit integers, reason is null when absent, hash is hex.
Bson event_document(const domain::EventRecord& e);

// The seed-compatible document (--compat seed): {_id, event_type, sku,
//  created_at, <the reference event's fields>, invlog_event_type,
//  invlog_data: {<invlog's event fields>}, event_id, seq, version, part,
//  parts, recorded_at, actor, reason, command_id, hash}. created_at is the
// document's ordering time (see exporter::next_created_at), recorded_at the
// event's true time, both BSON dates; numbers are 64-bit integers, part and
// parts 32-bit.
Bson seed_document(const SeedDocument& d);

// {_id: sku, sku, soh, available_quantity, reserved, version, updated_at}:
// integers are 64-bit, updated_at a BSON date.
Bson state_document(const domain::SkuState& s);

// A document as one line of MongoDB Extended JSON v2, relaxed mode, without
// the line break.
std::string relaxed_extjson(const bson_t& doc);

}  // namespace invlog::exporter
