// libFuzzer target for the HTTP request-to-command parsers. The first byte
// picks a route: a command of the table (POST /inventory/{sku}/{command},
// invlog's strict body) or one of the reference service's models (pydantic's
// lax validation, Python's JSON decoder); the rest is the body. Every input
// either becomes a request that satisfies the command-line rules, or is
// refused: with one usage error line (invlog's routes), or with a 422 whose
// body is JSON listing pydantic entries (or FastAPI's 400) on the reference
// routes. Nothing else may happen.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/http/command_body.hpp"
#include "invlog/http/pyjson.hpp"
#include "invlog/http/reference.hpp"

using namespace invlog;

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

void command(const app::CommandSpec& spec, const std::string& body) {
    try {
        app::Request r = http::parse_command(spec, "SKU-1", body, {{"Idempotency-Key", "k"}}, {"fuzzer"});
        require(r.sku == "SKU-1" && !r.actor.empty() && r.idempotency_key == "k");
        require(domain::command_name(r.command) == spec.name);
        if (spec.needs_reason) require(r.reason.has_value());
    } catch (const domain::Failure& f) {
        require(f.kind() == domain::ErrorKind::usage);
        require(std::string(f.what()).find('\n') == std::string::npos);
    }
}

void reference(http::ReferenceModel model, const std::string& body, bool json) {
    auto result = http::validate_reference_body(model, body,
                                                json ? std::optional<std::string>("application/json")
                                                     : std::optional<std::string>("text/plain"));
    if (auto* fields = std::get_if<http::ReferenceFields>(&result)) {
        require(fields->integers.size() == (model == http::ReferenceModel::quantity ? 1u : 2u));
        for (const auto& digits : fields->integers) {
            require(!digits.empty() && digits[0] >= '1' && digits[0] <= '9');
            for (char c : digits) require(c >= '0' && c <= '9');
        }
        return;
    }
    const auto& response = std::get<http::Response>(result);
    require(response.status == 422 || response.status == 400);
    // The body is JSON whatever the input (invalid UTF-8 is replaced).
    auto doc = nlohmann::json::parse(response.body, nullptr, false, false);
    require(!doc.is_discarded());
    if (response.status == 422) require(doc["detail"].is_array() && !doc["detail"].empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t route = data[0];
    const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto& table = app::command_table();
    if (route < 128) {
        command(table[route % table.size()], body);
    } else {
        const auto model = static_cast<http::ReferenceModel>(route % 3);
        reference(model, body, (route & 4) == 0);
        http::py::loads(body);  // the decoder alone, on anything
    }
    return 0;
}
