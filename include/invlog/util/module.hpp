// Finding and opening invlog's own dlopen'ed modules (invlog-mongo.so,
// invlog-http.so). Each module holds the code that needs a heavy library
// (libmongoc, cpp-httplib with OpenSSL and compression) so that no other
// command loads it; the module calls back into the executable, which exports
// its symbols.
#pragma once

#include <string>

namespace invlog::util {

// The address of `entry` (an extern "C" function of the module `file`):
// already in the process when the test binary links the module's code,
// else from `file` beside the executable, in the installed module directory
// relative to it, or in the configured one. When it cannot be loaded:
// nullptr, and `why` says so, naming every place looked in (the caller turns
// that into its own failure: util knows no error vocabulary).
void* module_entry(const std::string& file, const char* entry, std::string& why);

}  // namespace invlog::util
