// Database and collection names MongoDB accepts. Pure; no driver.
#pragma once

#include <string>
#include <string_view>

namespace invlog::exporter {

// The name when MongoDB accepts it; else a usage Failure that names the
// option (what) and the value.
std::string check_database_name(std::string_view name, std::string_view what);
std::string check_collection_name(std::string_view name, std::string_view what);

}  // namespace invlog::exporter
