// Rows read on one thread and consumed in the same order on a second one.
// A few chunks of rows go round between the two, so memory stays flat
// however many rows pass: the reader copies each row into the chunk being
// filled (assignment, which reuses the memory of the strings of the row it
// replaces), and the consumer takes full chunks in the order handed over.
// Export formats lines and verify checks rows this way while the reading
// thread steps SQLite.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace invlog::util {

template <class Row>
class Handoff {
public:
    static constexpr std::size_t chunk_rows = 1024;
    static constexpr std::size_t chunks = 4;

    // consume runs on the second thread, once per row, in order. What it
    // throws stops it; finish() throws it again on the reading thread.
    explicit Handoff(std::function<void(const Row&)> consume) : m_consume(std::move(consume)) {
        m_chunks.resize(chunks);
        for (auto& c : m_chunks) {
            c.rows.resize(chunk_rows);
            m_free.push_back(&c);
        }
        m_thread = std::thread([this] { run(); });
    }
    ~Handoff() {
        if (m_thread.joinable()) {
            finish_input();
            m_thread.join();
        }
    }
    Handoff(const Handoff&) = delete;
    Handoff& operator=(const Handoff&) = delete;

    // Copies a row into the chunk being filled; false once the consumer has
    // failed, when reading should stop (a reader that cannot stop may keep
    // adding: each later call returns false at once).
    bool add(const Row& row) {
        return fill([&](Row& slot) { slot = row; });
    }
    // The same, for a row that set(Row&) writes in its place.
    template <class Set>
    bool fill(Set set) {
        if (m_stopped) return false;
        if (!m_filling && !(m_filling = take_free())) {
            m_stopped = true;
            return false;
        }
        set(m_filling->rows[m_filling->count++]);
        if (m_filling->count == chunk_rows) {
            hand_over(m_filling);
            m_filling = nullptr;
        }
        return true;
    }

    // Runs read, which adds the rows on this thread, then finish(). When
    // read throws, the rows added before are consumed first, and read's
    // failure is the one thrown.
    template <class Read>
    void feed(Read read) {
        try {
            read();
        } catch (...) {
            try {
                finish();
            } catch (...) {
            }
            throw;
        }
        finish();
    }

    // After the last row (or a failure to read one): waits until every row
    // added is consumed, then throws what the consumer failed with.
    void finish() {
        finish_input();
        m_thread.join();
        if (m_error) std::rethrow_exception(m_error);
    }

private:
    struct Chunk {
        std::vector<Row> rows;
        std::size_t count = 0;
    };

    Chunk* take_free() {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return !m_free.empty() || m_failed; });
        if (m_failed) return nullptr;
        Chunk* c = m_free.back();
        m_free.pop_back();
        c->count = 0;
        return c;
    }
    void hand_over(Chunk* c) {
        {
            std::lock_guard lock(m_mutex);
            m_full.push_back(c);
        }
        m_changed.notify_all();
    }
    void finish_input() {
        if (m_filling) {
            hand_over(m_filling);
            m_filling = nullptr;
        }
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_changed.notify_all();
    }

    void run() {
        try {
            for (;;) {
                Chunk* c;
                {
                    std::unique_lock lock(m_mutex);
                    m_changed.wait(lock, [&] { return !m_full.empty() || m_done; });
                    if (m_full.empty()) break;
                    c = m_full.front();
                    m_full.pop_front();
                }
                for (std::size_t i = 0; i < c->count; ++i) m_consume(c->rows[i]);
                {
                    std::lock_guard lock(m_mutex);
                    m_free.push_back(c);
                }
                m_changed.notify_all();
            }
        } catch (...) {
            m_error = std::current_exception();
            {
                std::lock_guard lock(m_mutex);
                m_failed = true;
            }
            m_changed.notify_all();
        }
    }

    std::function<void(const Row&)> m_consume;
    std::vector<Chunk> m_chunks;
    std::vector<Chunk*> m_free;
    std::deque<Chunk*> m_full;
    Chunk* m_filling = nullptr;
    bool m_stopped = false;  // the reading thread's: the consumer has failed
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_done = false;
    bool m_failed = false;
    std::exception_ptr m_error;
    std::thread m_thread;
};

}  // namespace invlog::util
