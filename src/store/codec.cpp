// Event row encoding. The JSON writer is hand-rolled because data holds only
// known keys and integers and this runs for every appended event.
#include "invlog/store/codec.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "invlog/store/sqlite_store.hpp"

namespace invlog::store {

std::string encode_data(const domain::Event& event) { return domain::data_json_text(event); }

namespace {

constexpr std::string_view known_fields[] = {"soh", "available_quantity", "reserved", "quantity"};

// The fast path for data as invlog writes it: {"name":int,...} with known
// names, no spaces, no leading zeros, no repeated name. It returns nullopt
// for anything else, which then goes through the full JSON parser, so both
// paths agree on every input they both accept.
std::optional<std::vector<domain::Field>> parse_canonical(std::string_view s) {
    std::vector<domain::Field> fields;
    std::size_t i = 0;
    if (s.size() < 2 || s[i++] != '{') return std::nullopt;
    while (true) {
        if (i >= s.size() || s[i++] != '"') return std::nullopt;
        std::size_t end = s.find('"', i);
        if (end == std::string_view::npos) return std::nullopt;
        std::string_view name = s.substr(i, end - i);
        const std::string_view* known = nullptr;
        for (const auto& k : known_fields)
            if (k == name) known = &k;
        if (!known) return std::nullopt;
        for (const auto& f : fields)
            if (f.first == *known) return std::nullopt;
        i = end + 1;
        if (i >= s.size() || s[i++] != ':') return std::nullopt;
        bool negative = i < s.size() && s[i] == '-';
        if (negative) ++i;
        std::size_t start = i;
        std::uint64_t magnitude = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (magnitude > (std::uint64_t{1} << 62)) return std::nullopt;  // let the full parser judge
            magnitude = magnitude * 10 + static_cast<std::uint64_t>(s[i++] - '0');
        }
        const std::size_t digits = i - start;
        if (digits == 0 || (digits > 1 && s[start] == '0') || (negative && magnitude == 0) ||
            magnitude > std::uint64_t{INT64_MAX})
            return std::nullopt;
        const auto value = static_cast<domain::Qty>(magnitude);
        fields.emplace_back(*known, negative ? -value : value);
        if (i >= s.size()) return std::nullopt;
        char c = s[i++];
        if (c == '}') return i == s.size() ? std::optional(std::move(fields)) : std::nullopt;
        if (c != ',') return std::nullopt;
    }
}

}  // namespace

std::optional<domain::Event> decode_data(std::string_view type, std::string_view data) {
    if (auto fields = parse_canonical(data)) return domain::make_event(type, *fields);
    auto json = nlohmann::json::parse(data, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    std::vector<domain::Field> fields;
    for (auto it = json.begin(); it != json.end(); ++it) {
        // Keys of the catalogue are static strings; find the matching one so the
        // string_view outlives the JSON document. Other keys are ignored.
        for (std::string_view known : known_fields) {
            if (it.key() != known) continue;
            if (!it->is_number_integer()) return std::nullopt;
            if (it->is_number_unsigned() && it->get<std::uint64_t>() > std::uint64_t{INT64_MAX}) return std::nullopt;
            fields.emplace_back(known, it->get<std::int64_t>());
        }
    }
    return domain::make_event(type, fields);
}

namespace {

void put(std::string& out, std::string_view bytes) {
    const auto n = static_cast<std::uint32_t>(bytes.size());
    const char header[5] = {'\0', static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                            static_cast<char>(n)};
    out.append(header, sizeof header);
    out.append(bytes);
}

void put_optional(std::string& out, const std::optional<std::string>& value) {
    if (value)
        put(out, std::string_view(*value));
    else
        out += '\x01';
}

}  // namespace

namespace {

void assign_optional(std::optional<std::string>& to, const Statement& st, int col) {
    if (st.is_null(col))
        to.reset();
    else if (to)
        to->assign(st.text(col));
    else
        to.emplace(st.text(col));
}

}  // namespace

void read_raw(const Statement& st, RawEvent& e, int first) {
    // assign() reuses the strings' memory: a scan reads every row into one
    // RawEvent without allocating.
    e.seq = st.int64(first);
    e.event_id.assign(st.text(first + 1));
    e.sku.assign(st.text(first + 2));
    e.version = st.int64(first + 3);
    e.event_type.assign(st.text(first + 4));
    e.data.assign(st.text(first + 5));
    e.recorded_at = st.int64(first + 6);
    e.meta.actor.assign(st.text(first + 7));
    assign_optional(e.meta.reason, st, first + 8);
    e.meta.command_id.assign(st.text(first + 9));
    assign_optional(e.meta.idempotency_key, st, first + 10);
    // A hash of the wrong length stays all zeros, which never verifies.
    auto blob = st.blob(first + 11);
    if (blob.size() == e.hash.size())
        std::copy(blob.begin(), blob.end(), e.hash.begin());
    else
        e.hash = {};
}

RawEvent read_raw(const Statement& st, int first) {
    RawEvent e;
    read_raw(st, e, first);
    return e;
}

void canonical_bytes(const RawEvent& e, std::string& out) {
    out.clear();
    put(out, std::to_string(e.seq));
    put(out, e.event_id);
    put(out, e.sku);
    put(out, std::to_string(e.version));
    put(out, e.event_type);
    put(out, e.data);
    put(out, std::to_string(e.recorded_at));
    put(out, e.meta.actor);
    put_optional(out, e.meta.reason);
    put(out, e.meta.command_id);
    put_optional(out, e.meta.idempotency_key);
}

std::string canonical_bytes(const RawEvent& e) {
    std::string out;
    canonical_bytes(e, out);
    return out;
}

util::Digest chain_hash(util::Sha256& sha, const util::Digest& previous, const RawEvent& e) {
    // Reused between calls: hashing runs once per event on every write and
    // every verify.
    thread_local std::string buffer;
    canonical_bytes(e, buffer);
    sha.reset();
    sha.update(previous.data(), previous.size());
    sha.update(buffer);
    return sha.finish();
}

util::Digest snapshot_hash(util::Sha256& sha, const util::Digest& event_hash, std::string_view sku,
                           const domain::State& state, std::int64_t seq, domain::Millis recorded_at) {
    std::string bytes;
    put(bytes, sku);
    for (std::int64_t value : {state.version, state.soh, state.available_quantity, state.reserved, seq, recorded_at})
        put(bytes, std::to_string(value));
    sha.reset();
    sha.update(event_hash.data(), event_hash.size());
    sha.update(bytes);
    return sha.finish();
}

}  // namespace invlog::store
