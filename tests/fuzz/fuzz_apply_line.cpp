// libFuzzer target for the `apply` line parser. Every input either parses
// into a request that satisfies the command-line rules, or is refused with
// one usage error line; nothing else may happen.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "invlog/batch/parse_line.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/util/overloaded.hpp"

using namespace invlog;

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

bool quantity(domain::Qty q, bool zero_ok) { return q >= (zero_ok ? 0 : 1) && q <= domain::max_quantity; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string line(reinterpret_cast<const char*>(data), size);
    try {
        app::Request r = batch::parse_line(line, batch::Defaults{"fuzzer", std::nullopt});
        // A NUL byte would end the line for the JSON lexer and hide the rest.
        require(line.find('\0') == std::string::npos);
        require(domain::valid_sku(r.sku));
        require(!r.actor.empty());
        require(!r.expected_version || *r.expected_version >= 0);
        std::visit(util::overloaded{
                       [](const domain::Create& c) {
                           require(quantity(c.soh, true) && (!c.available || quantity(*c.available, true)));
                       },
                       [](const domain::SetSoh& c) {
                           require(quantity(c.soh, true) && (!c.available || quantity(*c.available, true)));
                       },
                       [](const domain::SetAvailable& c) { require(quantity(c.available, true)); },
                       [](const domain::Adjust& c) {
                           require(c.delta != 0 && c.delta >= -domain::max_quantity && c.delta <= domain::max_quantity);
                       },
                       [](const auto& c) { require(quantity(c.qty, false)); },
                   },
                   r.command);
    } catch (const domain::Failure& f) {
        require(f.kind() == domain::ErrorKind::usage);
        require(std::string(f.what()).find('\n') == std::string::npos);
    }
    return 0;
}
