// Building the exported BSON documents. Key order is part of the shape that
// consumers see, so fields are appended in the documented order.
#include "invlog/export/document.hpp"

#include <string_view>

namespace invlog::exporter {
namespace {

int length(std::string_view s) { return static_cast<int>(s.size()); }

void put_string(bson_t* doc, std::string_view key, std::string_view value) {
    bson_append_utf8(doc, key.data(), length(key), value.data(), length(value));
}

void put_int64(bson_t* doc, std::string_view key, std::int64_t value) {
    bson_append_int64(doc, key.data(), length(key), value);
}

void put_date(bson_t* doc, std::string_view key, domain::Millis ms) {
    bson_append_date_time(doc, key.data(), length(key), ms);
}

// Who recorded the event, why, in which command, and its hash: the same in
// invlog's documents and in the seed-compatible ones.
void put_provenance(bson_t* d, const domain::EventRecord& e) {
    put_string(d, "actor", e.meta.actor);
    if (e.meta.reason)
        put_string(d, "reason", *e.meta.reason);
    else
        bson_append_null(d, "reason", -1);
    put_string(d, "command_id", e.meta.command_id);
    put_string(d, "hash", e.hash);
}

}  // namespace

Bson event_document(const domain::EventRecord& e) {
    Bson doc(bson_new());
    bson_t* d = doc.get();
    put_string(d, "_id", e.event_id);
    put_string(d, "event_id", e.event_id);
    put_string(d, "event_type", domain::event_type(e.event));
    put_string(d, "sku", e.sku);
    put_date(d, "created_at", e.recorded_at);
    for (const auto& [name, value] : domain::event_fields(e.event)) put_int64(d, name, value);
    put_int64(d, "seq", e.seq);
    put_int64(d, "version", e.version);
    put_provenance(d, e);
    return doc;
}

Bson seed_document(const SeedDocument& sd) {
    const domain::EventRecord& e = *sd.record;
    Bson doc(bson_new());
    bson_t* d = doc.get();
    put_string(d, "_id", sd.id);
    put_string(d, "event_type", domain::event_type(sd.event));
    put_string(d, "sku", e.sku);
    put_date(d, "created_at", sd.created_at);
    for (const auto& [name, value] : domain::event_fields(sd.event)) put_int64(d, name, value);
    put_string(d, "invlog_event_type", domain::event_type(e.event));
    bson_t data;
    bson_append_document_begin(d, "invlog_data", -1, &data);
    for (const auto& [name, value] : domain::event_fields(e.event)) put_int64(&data, name, value);
    bson_append_document_end(d, &data);
    put_string(d, "event_id", e.event_id);
    put_int64(d, "seq", e.seq);
    put_int64(d, "version", e.version);
    bson_append_int32(d, "part", -1, sd.part);
    bson_append_int32(d, "parts", -1, sd.parts);
    put_date(d, "recorded_at", e.recorded_at);
    put_provenance(d, e);
    return doc;
}

Bson state_document(const domain::SkuState& s) {
    Bson doc(bson_new());
    bson_t* d = doc.get();
    put_string(d, "_id", s.sku);
    put_string(d, "sku", s.sku);
    put_int64(d, "soh", s.state.soh);
    put_int64(d, "available_quantity", s.state.available_quantity);
    put_int64(d, "reserved", s.state.reserved);
    put_int64(d, "version", s.state.version);
    put_date(d, "updated_at", s.updated_at);
    return doc;
}

std::string relaxed_extjson(const bson_t& doc) {
    std::size_t size = 0;
    char* json = bson_as_relaxed_extended_json(&doc, &size);
    std::string out(json ? json : "", json ? size : 0);
    bson_free(json);
    return out;
}

}  // namespace invlog::exporter
