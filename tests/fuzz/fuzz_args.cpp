// libFuzzer target for the argument parsers. The first byte picks the parser;
// the rest is the argument. Beyond "no crash", every accepted value must
// satisfy the parser's contract.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "invlog/cli/parse.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/util/time.hpp"

using namespace invlog;

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

bool all_digits(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string arg(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        switch (data[0] % 6) {
        case 0: {
            auto sku = cli::parse_sku(arg);
            require(sku == arg && domain::valid_sku(sku));
            break;
        }
        case 1: {
            auto q = cli::parse_quantity(arg, "QTY");
            require(all_digits(arg) && q >= 1 && q <= domain::max_quantity && std::stoll(arg) == q);
            break;
        }
        case 2: {
            auto d = cli::parse_delta(arg);
            require(d != 0 && d >= -domain::max_quantity && d <= domain::max_quantity);
            require(all_digits(d < 0 ? arg.substr(1) : arg) && std::stoll(arg) == d);
            break;
        }
        case 3: {
            auto t = cli::parse_time_arg(arg, "TIME");
            // Every accepted time survives formatting and parsing again.
            require(util::parse_time(util::format_time(t)) == t);
            break;
        }
        case 4: {
            auto n = cli::parse_count(arg, "N", 0, INT64_MAX);
            require(all_digits(arg) && n >= 0);
            break;
        }
        case 5: {
            auto text = cli::parse_text(arg, "--reason", 4096);
            require(text == arg && !text.empty() && text.size() <= 4096);
            for (unsigned char c : text) require(c >= 0x20 && c != 0x7f);
            // Nor any character that hides or reorders printed text.
            for (std::size_t at = 0; at < text.size();) {
                auto cp = domain::decode_utf8(text, at);
                require(cp && !domain::unsafe_character(cp->value));
                at += cp->length;
            }
            break;
        }
        }
    } catch (const domain::Failure& f) {
        require(f.kind() == domain::ErrorKind::usage);
        require(std::string(f.what()).find('\n') == std::string::npos);
    }
    return 0;
}
