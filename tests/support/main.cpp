// The doctest runner, with a listener that removes the temporary directories
// of passing tests and keeps those of failing ones.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <stdlib.h>

#include <iostream>
#include <mutex>
#include <vector>

#include "support/temp_dir.hpp"

namespace invlog::testing {
namespace {

std::vector<std::filesystem::path>& pending() {
    static std::vector<std::filesystem::path> dirs;
    return dirs;
}

struct TempDirListener : doctest::IReporter {
    explicit TempDirListener(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats&) override {}
    void test_case_start(const doctest::TestCaseData&) override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats& stats) override {
        for (const auto& dir : pending()) {
            if (stats.failure_flags == 0 && stats.numAssertsFailedCurrentTest == 0) {
                std::error_code ec;
                std::filesystem::remove_all(dir, ec);
            } else {
                std::cerr << "kept temporary directory of the failed test: " << dir << "\n";
            }
        }
        pending().clear();
    }
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

}  // namespace

TempDir::TempDir() {
    auto base = std::filesystem::temp_directory_path() / "invlog-test-XXXXXX";
    std::string pattern = base.string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
    pending().push_back(m_path);
}

}  // namespace invlog::testing

REGISTER_LISTENER("tempdirs", 1, invlog::testing::TempDirListener);

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    return context.run();
}
