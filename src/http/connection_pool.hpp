// The server module's connection threads: cpp-httplib's TaskQueue with a
// bound. `threads` workers serve connections, at most `max_queue` wait for
// one, and the next ones go to a small path that answers 503 with
// Connection: close (or, when even that path is full, are closed at once).
// Every task is run, so that no socket is leaked.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace invlog::http {

// How the connection task running on this thread is to be handled.
enum class ConnectionMode { serve, reject, drop };
ConnectionMode connection_mode();

class ConnectionPool : public httplib::TaskQueue {
public:
    ConnectionPool(int threads, std::size_t max_queue);

    void enqueue(std::function<void()> fn) override;
    void shutdown() override;

    // Connections waiting for a thread.
    std::size_t waiting() const;

private:
    void work(std::deque<std::function<void()>>& queue, std::condition_variable& wake, ConnectionMode mode);

    std::size_t m_max_queue;
    std::size_t m_idle = 0;  // serving threads waiting for a task
    mutable std::mutex m_mutex;
    std::condition_variable m_wake, m_wake_rejects;  // one each: a notify must reach a thread of its queue
    std::deque<std::function<void()>> m_queue, m_rejects;
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

}  // namespace invlog::http
