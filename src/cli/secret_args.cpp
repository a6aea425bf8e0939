// Overwriting secrets in argv. The kernel shows the process's own argv
// memory in /proc/PID/cmdline, so writing over it hides the value from ps
// from then on (not before: prefer $INVLOG_MONGO_URI).
#include "invlog/cli/secret_args.hpp"

#include <cstring>
#include <string>
#include <string_view>

#include "invlog/util/redact.hpp"

namespace invlog::cli {
namespace {

void hide(char* value) {
    const std::size_t size = std::strlen(value);
    const std::string redacted = util::redact_uri(value);
    if (redacted == value) return;
    // The redacted text is written only when it fits in the original.
    if (redacted.size() <= size) {
        std::memcpy(value, redacted.data(), redacted.size());
        std::memset(value + redacted.size(), 0, size - redacted.size());
    } else {
        std::memset(value, '*', size);
    }
}

}  // namespace

void hide_secret_arguments(int argc, char** argv) {
    constexpr std::string_view option = "--uri";
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == option && i + 1 < argc)
            hide(argv[++i]);
        else if (a.size() > option.size() && a.substr(0, option.size() + 1) == "--uri=")
            hide(argv[i] + option.size() + 1);
    }
}

}  // namespace invlog::cli
