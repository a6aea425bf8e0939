// A file that appears complete or not at all: written to a hidden temporary
// file beside it, flushed to disk and renamed over it on commit, removed when
// the export fails, so that a failed export never leaves half a file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace invlog::exporter {

class AtomicFile {
public:
    // Creates the temporary file; a storage Failure naming the path when the
    // directory does not allow it. Without `replace`, commit() never
    // replaces a file that exists by then (target_exists).
    explicit AtomicFile(std::string path, bool replace = true);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    // Writes the bytes with write(2), unbuffered: callers give large blocks.
    // Their writeback to disk starts at once (sync_file_range on Linux).
    void write(std::string_view bytes);
    // Syncs the temporary file, moves it to the path (rename, or
    // link without `replace`) and syncs the directory, so that the file
    // survives a crash once this returns.
    void commit();

private:
    [[noreturn]] void fail(std::string_view doing, int error);

    std::string m_path;
    std::string m_temp;
    bool m_replace = false;
    int m_fd = -1;
    std::size_t m_written = 0;
};

}  // namespace invlog::exporter
