// The bounded connection pool (see connection_pool.hpp).
#include "connection_pool.hpp"

namespace invlog::http {
namespace {

constexpr int reject_threads = 2;
constexpr std::size_t max_rejects = 64;

thread_local ConnectionMode t_mode = ConnectionMode::serve;

}  // namespace

ConnectionMode connection_mode() { return t_mode; }

ConnectionPool::ConnectionPool(int threads, std::size_t max_queue) : m_max_queue(max_queue) {
    for (int i = 0; i < threads; ++i) m_threads.emplace_back([this] { work(m_queue, m_wake, ConnectionMode::serve); });
    for (int i = 0; i < reject_threads; ++i)
        m_threads.emplace_back([this] { work(m_rejects, m_wake_rejects, ConnectionMode::reject); });
}

void ConnectionPool::enqueue(std::function<void()> fn) {
    {
        std::lock_guard lock(m_mutex);
        // Threads about to take a task count as free: a burst of
        // connections is not refused before they wake.
        if (m_queue.size() < m_max_queue + m_idle) {
            m_queue.push_back(std::move(fn));
            m_wake.notify_one();
            return;
        }
        if (m_rejects.size() < max_rejects) {
            m_rejects.push_back(std::move(fn));
            m_wake_rejects.notify_one();
            return;
        }
    }
    t_mode = ConnectionMode::drop;
    fn();
    t_mode = ConnectionMode::serve;
}

void ConnectionPool::shutdown() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_wake_rejects.notify_all();
    for (auto& t : m_threads) t.join();
}

std::size_t ConnectionPool::waiting() const {
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

void ConnectionPool::work(std::deque<std::function<void()>>& queue, std::condition_variable& wake,
                          ConnectionMode mode) {
    t_mode = mode;
    for (;;) {
        std::function<void()> fn;
        {
            std::unique_lock lock(m_mutex);
            if (mode == ConnectionMode::serve) ++m_idle;
            wake.wait(lock, [&] { return !queue.empty() || m_stop; });
            if (mode == ConnectionMode::serve) --m_idle;
            if (queue.empty()) return;
            fn = std::move(queue.front());
            queue.pop_front();
        }
        fn();
    }
}

}  // namespace invlog::http
