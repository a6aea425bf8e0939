// The store's BSON documents (see mongo_documents.hpp).
#include "mongo_documents.hpp"

#include <fmt/format.h>

#include "invlog/store/event_store.hpp"

namespace invlog::store::mongo {

namespace {

int len(std::string_view s) { return static_cast<int>(s.size()); }

void put(bson_t* d, std::string_view key, std::string_view value) {
    bson_append_utf8(d, key.data(), len(key), value.data(), len(value));
}
void put(bson_t* d, std::string_view key, std::int64_t value) { bson_append_int64(d, key.data(), len(key), value); }
void put_opt(bson_t* d, std::string_view key, const std::optional<std::string>& value) {
    if (value)
        put(d, key, *value);
    else
        bson_append_null(d, key.data(), len(key));
}

// Field readers: the value, or empty with the field named in wrong.
struct Reader {
    const bson_t& doc;
    std::string* wrong;

    void bad(const char* key, const bson_iter_t& it) const {
        if (!wrong) return;
        if (!wrong->empty()) *wrong += ' ';
        *wrong += fmt::format("{} ({})", key, static_cast<int>(bson_iter_type(&it)));
    }
    std::string text(const char* key) const {
        bson_iter_t it;
        if (!bson_iter_init_find(&it, &doc, key)) return {};
        if (BSON_ITER_HOLDS_UTF8(&it)) {
            std::uint32_t n = 0;
            const char* s = bson_iter_utf8(&it, &n);
            return std::string(s, n);
        }
        bad(key, it);
        return {};
    }
    std::optional<std::string> opt_text(const char* key) const {
        bson_iter_t it;
        if (!bson_iter_init_find(&it, &doc, key) || BSON_ITER_HOLDS_NULL(&it)) return std::nullopt;
        return text(key);
    }
    std::int64_t integer(const char* key) const {
        bson_iter_t it;
        if (!bson_iter_init_find(&it, &doc, key)) return 0;
        if (BSON_ITER_HOLDS_INT64(&it) || BSON_ITER_HOLDS_INT32(&it)) return bson_iter_as_int64(&it);
        if (BSON_ITER_HOLDS_DATE_TIME(&it)) return bson_iter_date_time(&it);
        bad(key, it);
        return 0;
    }
};

}  // namespace

util::Digest digest_of(std::string_view hex) {
    util::Digest d{};
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return 0;
    };
    for (std::size_t i = 0; i < d.size() && 2 * i + 1 < hex.size(); ++i)
        d[i] = static_cast<std::uint8_t>(nibble(hex[2 * i]) * 16 + nibble(hex[2 * i + 1]));
    return d;
}

Bson event_doc(const RawEvent& e) {
    RawEvent copy = e;
    Bson doc = exporter::event_document(decode_or_throw(std::move(copy)));
    put_opt(doc.get(), "idempotency_key", e.meta.idempotency_key);
    return doc;
}

RawEvent read_event(const bson_t& doc, std::string* wrong_types) {
    Reader r{doc, wrong_types};
    RawEvent e;
    e.seq = r.integer("seq");
    e.event_id = r.text("event_id");
    e.event_type = r.text("event_type");
    e.sku = r.text("sku");
    e.version = r.integer("version");
    e.recorded_at = r.integer("created_at");
    e.meta.actor = r.text("actor");
    e.meta.reason = r.opt_text("reason");
    e.meta.command_id = r.text("command_id");
    e.meta.idempotency_key = r.opt_text("idempotency_key");
    e.hash = digest_of(r.text("hash"));
    // The data fields sit between created_at and seq, in catalogue order:
    // they give back the text the hash covers.
    bson_iter_t it;
    bool inside = false;
    std::string data = "{";
    if (bson_iter_init(&it, &doc))
        while (bson_iter_next(&it)) {
            std::string_view key = bson_iter_key(&it);
            if (key == "created_at") {
                inside = true;
                continue;
            }
            if (key == "seq") break;
            if (!inside) continue;
            if (data.size() > 1) data += ',';
            if (BSON_ITER_HOLDS_INT64(&it) || BSON_ITER_HOLDS_INT32(&it))
                data += fmt::format("\"{}\":{}", key, bson_iter_as_int64(&it));
            else {
                // Kept as a value the decoder refuses, so verify reports it.
                data += fmt::format("\"{}\":null", key);
                r.bad(bson_iter_key(&it), it);
            }
        }
    e.data = data + "}";
    return e;
}

Bson state_doc(const domain::SkuState& s) { return exporter::state_document(s); }

domain::SkuState read_state_doc(const bson_t& doc, std::string* wrong_types) {
    Reader r{doc, wrong_types};
    domain::SkuState s;
    s.sku = r.text("sku");
    s.state =
        domain::State{r.integer("soh"), r.integer("available_quantity"), r.integer("reserved"), r.integer("version")};
    s.updated_at = r.integer("updated_at");
    return s;
}

std::string snapshot_id(std::string_view sku, std::int64_t version) { return fmt::format("{}@{}", version, sku); }

Bson snapshot_doc(const Snapshot& s) {
    Bson doc(bson_new());
    bson_t* d = doc.get();
    put(d, "_id", snapshot_id(s.sku, s.state.version));
    put(d, "sku", s.sku);
    put(d, "version", s.state.version);
    put(d, "soh", s.state.soh);
    put(d, "available_quantity", s.state.available_quantity);
    put(d, "reserved", s.state.reserved);
    put(d, "seq", s.seq);
    bson_append_date_time(d, "recorded_at", -1, s.recorded_at);
    put(d, "hash", util::to_hex(s.hash));
    return doc;
}

Snapshot read_snapshot(const bson_t& doc, std::string* wrong_types) {
    Reader r{doc, wrong_types};
    Snapshot s;
    s.sku = r.text("sku");
    s.state =
        domain::State{r.integer("soh"), r.integer("available_quantity"), r.integer("reserved"), r.integer("version")};
    s.seq = r.integer("seq");
    s.recorded_at = r.integer("recorded_at");
    s.hash = digest_of(r.text("hash"));
    return s;
}

Bson key_doc(std::string_view key, const IdempotencyEntry& e) {
    Bson doc(bson_new());
    bson_t* d = doc.get();
    put(d, "_id", key);
    put(d, "fingerprint", e.fingerprint);
    put(d, "sku", e.sku);
    put(d, "version", e.version);
    put(d, "command_id", e.command_id);
    return doc;
}

IdempotencyEntry read_key(const bson_t& doc, std::string* wrong_types) {
    Reader r{doc, wrong_types};
    return IdempotencyEntry{r.text("fingerprint"), r.text("sku"), r.integer("version"), r.text("command_id")};
}

std::string doc_id(const bson_t& doc) { return Reader{doc, nullptr}.text("_id"); }

Bson head_fields(const Head& h) {
    Bson doc(bson_new());
    bson_t* d = doc.get();
    put(d, "seq", h.seq);
    put(d, "hash", util::to_hex(h.hash));
    put(d, "recorded_at", h.recorded_at);
    put(d, "event_id", h.event_id);
    return doc;
}

Head read_head(const bson_t& doc) {
    Reader r{doc, nullptr};
    return Head{r.integer("seq"), digest_of(r.text("hash")), r.integer("recorded_at"), r.text("event_id")};
}

Bson position_doc(const ExportPosition& p) {
    Bson doc(bson_new());
    bson_t* d = doc.get();
    put(d, "_id", p.destination);
    put(d, "last_seq", p.last_seq);
    put(d, "updated_at", p.updated_at);
    put_opt(d, "last_hash", p.last_hash ? std::optional(util::to_hex(*p.last_hash)) : std::nullopt);
    put_opt(d, "compat", p.compat);
    return doc;
}

ExportPosition read_position(const bson_t& doc) {
    Reader r{doc, nullptr};
    ExportPosition p;
    p.destination = r.text("_id");
    p.last_seq = r.integer("last_seq");
    p.updated_at = r.integer("updated_at");
    if (auto h = r.opt_text("last_hash")) p.last_hash = digest_of(*h);
    p.compat = r.opt_text("compat");
    return p;
}

}  // namespace invlog::store::mongo
