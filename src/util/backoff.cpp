// Retry pauses (see backoff.hpp).
#include "invlog/util/backoff.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

namespace invlog::util {

void sleep_backoff(int attempt) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    const int base = 5 * std::min(attempt, 20);
    std::uniform_int_distribution<int> jitter(0, 2 * base);
    std::this_thread::sleep_for(std::chrono::milliseconds(base + jitter(rng)));
}

}  // namespace invlog::util
