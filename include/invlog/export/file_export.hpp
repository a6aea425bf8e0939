// The file export for mongoimport and offline transfer: one line per event,
// either the MongoDB document as Extended JSON v2 (relaxed) or invlog's own
// event JSON.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "invlog/export/seed.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::exporter {

enum class FileFormat { extjson, ndjson };

std::optional<FileFormat> parse_file_format(std::string_view name);

struct FileExportOptions {
    FileFormat format = FileFormat::extjson;
    std::optional<std::string> sku;
    std::int64_t after_seq = 0;
    // seed: the reference service's documents (see seed.hpp), one or more
    // per event, as Extended JSON or plain JSON lines.
    Compat compat = Compat::native;
};

struct FileSummary {
    std::int64_t events = 0;
    std::int64_t documents = 0;  // lines written: more than events when seed splits some
    std::int64_t first_seq = 0;  // 0 when no event was written
    std::int64_t last_seq = 0;
};

// Receives whole lines, many at a time (blocks of about block_bytes), and
// the number of events whose lines have been given so far.
using WriteLines = std::function<void(std::string_view lines, std::int64_t events)>;

inline constexpr std::size_t block_bytes = std::size_t{1} << 20;

// Streams the selected events, in seq order, as lines given to write. When
// an event cannot be read or written, the lines before it are given to write
// before the failure is thrown.
FileSummary export_lines(store::EventStore& store, const FileExportOptions& options, const WriteLines& write);

}  // namespace invlog::exporter
