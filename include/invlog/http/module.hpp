// The HTTP server and the CLI's client of a server are loaded only by
// `invlog serve` and by a command whose --db is a URL. cpp-httplib's shared
// library pulls libssl, zlib and brotli into the process; the code that uses
// it is built into a module, invlog-http.so, opened with dlopen on first use
// (as invlog-mongo.so is for the MongoDB driver), so that no other command
// pays for them. The module calls back into invlog's own code.
#pragma once

#include <memory>

#include "invlog/client/inventory.hpp"
#include "invlog/http/options.hpp"
#include "invlog/http/remote.hpp"
#include "invlog/telemetry/recorder.hpp"

namespace invlog::http {

struct HttpModule {
    // Serves until SIGTERM or SIGINT, then finishes the requests in flight
    // and returns. Throws domain::Failure when it cannot start.
    void (*serve)(const ServeOptions& options);
    // The inventory behind a server (src/http/remote_inventory.cpp). Nothing
    // is sent before the first call.
    std::unique_ptr<client::Inventory> (*remote_inventory)(const RemoteOptions& options);
    // The OTLP/HTTP POST of the span recorder (src/http/otlp_post.cpp).
    telemetry::PostFunction post_otlp;
    // The OTLP protobuf body (src/telemetry/otlp_proto.cpp): libprotobuf-lite
    // is linked here, never in the core.
    telemetry::EncodeFunction otlp_protobuf;
};

std::string post_otlp(const telemetry::PostRequest& request);

// The module's functions: already in the process (the test binary links
// them), else loaded from beside the executable or the installed module
// directory. A storage Failure when it cannot be loaded.
const HttpModule& http_module();

}  // namespace invlog::http

// The module's one exported symbol.
extern "C" const invlog::http::HttpModule* invlog_http_module();
