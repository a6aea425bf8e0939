// Module loading (see module.hpp).
#include "invlog/util/module.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <vector>

#include <fmt/format.h>

namespace invlog::util {
namespace {

std::vector<std::string> candidates(const std::string& file) {
    std::vector<std::string> out;
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        out.push_back((exe.parent_path() / file).string());  // the build tree
        out.push_back((exe.parent_path().parent_path() / INVLOG_MODULE_RELDIR / file).string());
    }
    out.push_back(std::string(INVLOG_MODULE_DIR) + "/" + file);
    return out;
}

}  // namespace

void* module_entry(const std::string& file, const char* entry, std::string& why) {
    if (void* in_process = dlsym(RTLD_DEFAULT, entry)) return in_process;
    std::string errors;
    for (const auto& path : candidates(file)) {
        if (!std::filesystem::exists(path)) continue;
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            errors += fmt::format("; {}", dlerror());
            continue;
        }
        if (void* found = dlsym(handle, entry)) return found;
        errors += fmt::format("; {} has no {}", path, entry);
    }
    why = fmt::format("{} cannot be loaded (looked beside the executable, in ../{} from it and in {}{})", file,
                      INVLOG_MODULE_RELDIR, INVLOG_MODULE_DIR, errors);
    return nullptr;
}

}  // namespace invlog::util
