// Rendering events as export lines.
#include "invlog/export/file_export.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "invlog/export/mongo_module.hpp"
#include "invlog/output/json.hpp"
#include "invlog/telemetry/span.hpp"
#include "invlog/util/crypto.hpp"
#include "invlog/util/handoff.hpp"
#include "invlog/util/time.hpp"

namespace invlog::exporter {

std::optional<FileFormat> parse_file_format(std::string_view name) {
    if (name == "extjson") return FileFormat::extjson;
    if (name == "ndjson") return FileFormat::ndjson;
    return std::nullopt;
}

namespace {

// Lines are written into one buffer and given to the writer a block at a
// time: no allocation per line, and one write(2) per block.
class LineBuffer {
public:
    explicit LineBuffer(const WriteLines& write) : m_write(write) {
        // Room for a block and the longest usual line past it.
        m_buffer.resize(block_bytes + 64 * 1024);
    }
    LineBuffer(const LineBuffer&) = delete;
    LineBuffer& operator=(const LineBuffer&) = delete;

    // Where n more bytes may be written; then end(new end).
    char* room(std::size_t n) {
        if (m_used + n > m_buffer.size()) m_buffer.resize(m_used + n);  // a line longer than the slack
        return m_buffer.data() + m_used;
    }
    void end(const char* end) { m_used = static_cast<std::size_t>(end - m_buffer.data()); }
    void append(std::string_view line) {
        char* at = room(line.size() + 1);
        std::memcpy(at, line.data(), line.size());
        at[line.size()] = '\n';
        end(at + line.size() + 1);
    }
    // Called after each event's lines: gives a full block to the writer.
    void event_done(std::int64_t events) {
        if (m_used >= block_bytes) flush(events);
    }
    void flush(std::int64_t events) {
        if (m_used == 0) return;
        const std::size_t used = m_used;
        m_used = 0;
        m_write(std::string_view(m_buffer.data(), used), events);
    }

private:
    const WriteLines& m_write;
    std::vector<char> m_buffer;
    std::size_t m_used = 0;
};

// Gives the lines already made to the writer when the body throws, as the
// writer would have had them line by line, then rethrows.
template <class Body>
FileSummary flushing(LineBuffer& lines, FileSummary& summary, Body body) {
    try {
        body();
    } catch (...) {
        lines.flush(summary.events);
        throw;
    }
    lines.flush(summary.events);
    return summary;
}

// Seed documents need the SKU's earlier events when the filter starts past
// them, which the sequencer reads from the store: so the events are read in
// batches, and translated between two reads.
constexpr std::int64_t seed_batch = 1000;

FileSummary export_seed_lines(store::EventStore& store, const FileExportOptions& options, LineBuffer& lines) {
    store::EventFilter filter;
    filter.sku = options.sku;
    filter.after_seq = options.after_seq;
    filter.limit = seed_batch;
    // The log as it is when the export starts, so that it ends.
    filter.max_seq = store.head().seq;
    const MongoModule* mongo = options.format == FileFormat::extjson ? &mongo_module() : nullptr;
    SeedSequencer sequencer(store);
    FileSummary summary;
    return flushing(lines, summary, [&] {
        for (;;) {
            std::vector<domain::EventRecord> batch;
            store.for_each_event(filter, [&](const domain::EventRecord& e) {
                batch.push_back(e);
                return true;
            });
            if (batch.empty()) break;
            auto translation = sequencer.translate(batch);
            for (const auto& d : translation.documents) {
                lines.append(mongo ? mongo->seed_extjson_line(d) : seed_json_line(d));
                summary.documents += 1;
            }
            sequencer.commit(std::move(translation));
            if (summary.events == 0) summary.first_seq = batch.front().seq;
            summary.last_seq = batch.back().seq;
            summary.events += static_cast<std::int64_t>(batch.size());
            filter.after_seq = batch.back().seq;
            lines.event_done(summary.events);
        }
    });
}

// Counts an event written.
void count(FileSummary& summary, std::int64_t seq) {
    summary.documents += 1;
    if (summary.events++ == 0) summary.first_seq = seq;
    summary.last_seq = seq;
}

// invlog's event JSON of one row, as the store read it: no EventRecord, no
// string per field or per line.
class NdjsonWriter {
public:
    NdjsonWriter(LineBuffer& lines, FileSummary& summary) : m_lines(lines), m_summary(summary) {}

    void write(const store::RawEvent& raw) {
        const domain::Event event = store::decode_event_or_throw(raw);
        char hash[2 * std::tuple_size_v<util::Digest>];
        util::put_hex(hash, raw.hash.data(), raw.hash.size());
        const output::EventView view{raw.seq,
                                     raw.event_id,
                                     raw.sku,
                                     raw.version,
                                     event,
                                     raw.recorded_at,
                                     raw.meta.actor,
                                     optional_view(raw.meta.reason),
                                     raw.meta.command_id,
                                     optional_view(raw.meta.idempotency_key),
                                     std::string_view(hash, sizeof hash)};
        char* at = m_lines.room(output::event_json_room(view) + 1);
        at = output::put_event_json(at, view, m_time);
        *at++ = '\n';
        m_lines.end(at);
        count(m_summary, raw.seq);
        m_lines.event_done(m_summary.events);
    }

private:
    static std::optional<std::string_view> optional_view(const std::optional<std::string>& s) {
        return s ? std::optional<std::string_view>(*s) : std::nullopt;
    }

    LineBuffer& m_lines;
    FileSummary& m_summary;
    util::TimeFormatter m_time;
};

void export_ndjson(store::EventStore& store, const store::EventFilter& filter, LineBuffer& lines,
                   FileSummary& summary) {
    // Reading the rows and writing their lines take about as long as each
    // other, so they run side by side: this thread reads rows, a second one
    // turns them into lines and gives them to the writer, in the order read.
    NdjsonWriter writer(lines, summary);
    util::Handoff<store::RawEvent> pipeline([&](const store::RawEvent& raw) { writer.write(raw); });
    // The rows read before a failure to read are written first, as they
    // would have been one by one.
    pipeline.feed([&] { store.for_each_raw(filter, [&](const store::RawEvent& raw) { return pipeline.add(raw); }); });
}

}  // namespace

FileSummary export_lines(store::EventStore& store, const FileExportOptions& options, const WriteLines& write) {
    LineBuffer lines(write);
    if (options.compat == Compat::seed) return export_seed_lines(store, options, lines);
    store::EventFilter filter;
    filter.sku = options.sku;
    filter.after_seq = options.after_seq;
    FileSummary summary;
    // A file is written in one pass: one batch.
    telemetry::Span span("export_batch");
    span.set_string("invlog.export.destination", "file");
    flushing(lines, summary, [&] {
        if (options.format == FileFormat::ndjson) return export_ndjson(store, filter, lines, summary);
        // Extended JSON comes from libbson, in the MongoDB module.
        const MongoModule& mongo = mongo_module();
        store.for_each_event(filter, [&](const domain::EventRecord& e) {
            lines.append(mongo.extjson_line(e));
            count(summary, e.seq);
            lines.event_done(summary.events);
            return true;
        });
    });
    span.set_int("invlog.export.events", summary.events);
    return summary;
}

}  // namespace invlog::exporter
