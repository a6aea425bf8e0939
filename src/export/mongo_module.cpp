// Finding and opening the MongoDB module (see mongo_module.hpp).
#include "invlog/export/mongo_module.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"

namespace invlog::exporter {
namespace {

using Entry = const MongoModule* (*)();

std::vector<std::string> candidates() {
    std::vector<std::string> out;
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        out.push_back((exe.parent_path() / "invlog-mongo.so").string());  // the build tree
        out.push_back((exe.parent_path().parent_path() / INVLOG_MODULE_RELDIR / "invlog-mongo.so").string());
    }
    out.emplace_back(INVLOG_MODULE_DIR "/invlog-mongo.so");
    return out;
}

const MongoModule* load() {
    if (auto entry = reinterpret_cast<Entry>(dlsym(RTLD_DEFAULT, "invlog_mongo_module"))) return entry();
    std::string errors;
    for (const auto& path : candidates()) {
        if (!std::filesystem::exists(path)) continue;
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            errors += fmt::format("; {}", dlerror());
            continue;
        }
        if (auto entry = reinterpret_cast<Entry>(dlsym(handle, "invlog_mongo_module"))) return entry();
        errors += fmt::format("; {} has no invlog_mongo_module", path);
    }
    throw domain::Failure(domain::ErrorKind::storage, "no_mongo_module",
                          fmt::format("the MongoDB export module invlog-mongo.so cannot be loaded (looked beside "
                                      "the executable, in ../{} from it and in {}{})",
                                      INVLOG_MODULE_RELDIR, INVLOG_MODULE_DIR, errors));
}

}  // namespace

const MongoModule& mongo_module() {
    static const MongoModule* module = load();
    return *module;
}

}  // namespace invlog::exporter
