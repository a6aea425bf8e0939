// Signal handling for StopOnSignal. The handler only records the signal;
// the work polls it between batches.
#include "invlog/cli/stop_signal.hpp"

#include <signal.h>
#include <time.h>

#include <algorithm>
#include <utility>

namespace invlog::cli {
namespace {

volatile sig_atomic_t stop_signal = 0;
struct sigaction previous_int, previous_term;

void on_signal(int sig) {
    if (stop_signal) {
        // A second signal: the operator does not want to wait.
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    stop_signal = sig;
}

}  // namespace

StopOnSignal::StopOnSignal() {
    stop_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    // System calls in SQLite and the driver resume (or retry on EINTR), so
    // the batch in flight completes.
    action.sa_flags = SA_RESTART;
    // A signal the parent ignores (SIGINT for a background job of a
    // script, nohup) stays ignored.
    for (auto [sig, previous] : {std::pair{SIGINT, &previous_int}, std::pair{SIGTERM, &previous_term}}) {
        sigaction(sig, nullptr, previous);
        if (previous->sa_handler != SIG_IGN) sigaction(sig, &action, nullptr);
    }
}

StopOnSignal::~StopOnSignal() {
    sigaction(SIGINT, &previous_int, nullptr);
    sigaction(SIGTERM, &previous_term, nullptr);
}

bool StopOnSignal::requested() const { return stop_signal != 0; }

bool StopOnSignal::sleep_for(std::chrono::milliseconds duration) const {
    // Short naps: a signal that lands just before nanosleep starts does not
    // interrupt it, so the wait for a stop is bounded by one nap.
    auto left = duration;
    while (left.count() > 0 && !requested()) {
        auto nap = std::min(left, std::chrono::milliseconds(100));
        timespec ts{static_cast<time_t>(nap.count() / 1000), static_cast<long>(nap.count() % 1000) * 1'000'000};
        nanosleep(&ts, nullptr);
        left -= nap;
    }
    return !requested();
}

}  // namespace invlog::cli
