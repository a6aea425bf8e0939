// Opening the HTTP module (see module.hpp).
#include "invlog/http/module.hpp"

#include "invlog/util/module.hpp"

namespace invlog::http {

const HttpModule& http_module() {
    using Entry = const HttpModule* (*)();
    static const HttpModule* module = reinterpret_cast<Entry>(
        util::module_entry("invlog-http.so", "invlog_http_module", "no_http_module", "the HTTP server module"))();
    return *module;
}

}  // namespace invlog::http
