// Opening the HTTP module (see module.hpp).
#include "invlog/http/module.hpp"

#include <string>

#include "invlog/domain/error.hpp"
#include "invlog/util/module.hpp"

namespace invlog::http {

const HttpModule& http_module() {
    using Entry = const HttpModule* (*)();
    static const HttpModule* module = [] {
        std::string why;
        void* entry = util::module_entry("invlog-http.so", "invlog_http_module", why);
        if (!entry)
            throw domain::Failure(domain::ErrorKind::storage, "no_http_module", "the HTTP server module " + why);
        return reinterpret_cast<Entry>(entry)();
    }();
    return *module;
}

}  // namespace invlog::http
