// A temporary directory per test: removed when the test passes, kept (and its
// path printed) when it fails, so the database can be inspected.
#pragma once

#include <filesystem>
#include <string>

namespace invlog::testing {

class TempDir {
public:
    TempDir();
    const std::filesystem::path& path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

}  // namespace invlog::testing
