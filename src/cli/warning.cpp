// Warnings on stderr, once per code and process, and notes.
#include "invlog/cli/warning.hpp"

#include <iostream>
#include <set>

#include <fmt/format.h>

#include "invlog/output/json.hpp"

namespace invlog::cli {

void print_warning(std::string_view code, const std::string& message, output::Format format) {
    static std::set<std::string, std::less<>> printed;
    if (!printed.insert(std::string(code)).second) return;
    if (format == output::Format::json || format == output::Format::ndjson) {
        output::Json j;
        j["warning"]["code"] = code;
        j["warning"]["message"] = message;
        std::cerr << output::dump_line(j) << '\n' << std::flush;
    } else {
        std::cerr << fmt::format("invlog: warning: {}\n", message) << std::flush;
    }
}

void print_note(const std::string& message, output::Format format) {
    if (format == output::Format::json || format == output::Format::ndjson) {
        output::Json j;
        j["note"]["message"] = message;
        std::cerr << output::dump_line(j) << '\n' << std::flush;
    } else {
        std::cerr << fmt::format("invlog: note: {}\n", message) << std::flush;
    }
}

}  // namespace invlog::cli
