// The documents of the seed-compatible export (--compat seed): each invlog
// event becomes one or more documents of the reference service's catalogue
// (domain::seed_translate), with ids and creation times chosen so that a
// reference reader, which finds a SKU's events with
// find({sku}).sort(created_at), replays them in the recorded order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/domain/record.hpp"
#include "invlog/export/compat.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::exporter {

struct SeedDocument {
    const domain::EventRecord* record = nullptr;  // the invlog event; outlives the document
    domain::Event event;                          // the reference event written for it
    int part = 1;                                 // 1-based, among `parts` documents of the event
    int parts = 1;
    std::string id;                 // _id: the event id; "EVENT_ID:N" for the N-th (N >= 2) of a split event
    domain::Millis created_at = 0;  // strictly increasing along one SKU's documents
};

// Where one SKU's seed documents stand: the state after the last translated
// event, and the created_at of its last document.
struct SeedCursor {
    domain::State state;
    std::optional<domain::Millis> last_created_at;
};

// The created_at of the next document of a SKU: its event's recorded_at,
// pushed one millisecond past the SKU's previous document when it would not
// be later. A burst of n documents of one SKU within a millisecond is thus
// spread over n milliseconds; other SKUs are not affected.
domain::Millis next_created_at(const std::optional<domain::Millis>& last, domain::Millis recorded_at);

// The documents of one event, advancing the cursor of its SKU. Pure.
std::vector<SeedDocument> seed_documents(SeedCursor& cursor, const domain::EventRecord& record);

// The documents of batches of events read in seq order, with a cursor per
// SKU. A SKU first met after its version 1 is replayed from its start, once,
// so that ids and created_at are the same whatever the export resumes from
// (a re-export replaces documents, it never adds twins). translate() only
// computes; commit() remembers, once the batch is safely written, so that a
// batch sent again after a failure is translated from the same cursors.
class SeedSequencer {
public:
    explicit SeedSequencer(store::EventStore& store) : m_store(store) {}

    struct Translation {
        std::vector<SeedDocument> documents;
        std::map<std::string, SeedCursor> cursors;  // of the SKUs the batch touched, after it
    };
    // Reads the log (to replay a SKU first met), so it must not be called
    // from inside a read of the store.
    Translation translate(const std::vector<domain::EventRecord>& batch) const;
    void commit(Translation&& translation);

private:
    SeedCursor cursor_before(const domain::EventRecord& first) const;

    store::EventStore& m_store;
    std::map<std::string, SeedCursor> m_cursors;
};

// The document as one JSON line (no line break): the keys of the MongoDB
// document, created_at and recorded_at as UTC timestamps with milliseconds.
std::string seed_json_line(const SeedDocument& doc);

}  // namespace invlog::exporter
