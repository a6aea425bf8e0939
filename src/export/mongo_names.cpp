// The database and collection names MongoDB accepts, checked before any
// server is contacted: no driver needed, so they live in the core.
#include "invlog/export/mongo_names.hpp"

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"

namespace invlog::exporter {
namespace {

domain::Failure bad_name(std::string_view what, std::string_view name, std::string_view why) {
    return domain::usage_error("invalid_argument", fmt::format("invalid {} '{}': {}", what, domain::shown(name), why));
}

}  // namespace

std::string check_database_name(std::string_view name, std::string_view what) {
    if (name.empty()) throw bad_name(what, name, "must not be empty");
    if (name.size() > 63) throw bad_name(what, name, "longer than 63 bytes");
    if (name.find_first_of(std::string_view("/\\. \"$\0", 7)) != std::string_view::npos)
        throw bad_name(what, name, "must not contain / \\ . space \" $ or NUL");
    return std::string(name);
}

std::string check_collection_name(std::string_view name, std::string_view what) {
    if (name.empty()) throw bad_name(what, name, "must not be empty");
    if (name.size() > 200) throw bad_name(what, name, "longer than 200 bytes");
    if (name.find_first_of(std::string_view("$\0", 2)) != std::string_view::npos)
        throw bad_name(what, name, "must not contain $ or NUL");
    if (name.substr(0, 7) == "system.") throw bad_name(what, name, "the system. prefix is reserved");
    return std::string(name);
}

}  // namespace invlog::exporter
