// libFuzzer target for decoding events read back from a database: an
// event_type and a data column as a tampered or corrupt file could hold them.
// Input: type, a NUL byte, data. Decoding must never crash, and whatever
// decodes must encode and decode to the same event.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "invlog/domain/events.hpp"
#include "invlog/store/codec.hpp"

using namespace invlog;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto split = input.find('\0');
    if (split == std::string::npos) return 0;
    const std::string type = input.substr(0, split);
    const std::string json = input.substr(split + 1);
    auto event = store::decode_data(type, json);
    if (!event) return 0;
    if (domain::event_type(*event) != type) std::abort();
    auto again = store::decode_data(type, store::encode_data(*event));
    if (!again || domain::event_fields(*again) != domain::event_fields(*event)) std::abort();
    // Replay of any decoded event is defined (evolve never fails).
    (void)domain::evolve(domain::State{}, *event);
    return 0;
}
