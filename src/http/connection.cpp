// The connection stream (see connection.hpp).
#include "connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace invlog::http {
namespace {

constexpr auto write_timeout = std::chrono::seconds(10);

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1'000'000));
}

void address_of(const sockaddr_storage& addr, std::string& ip, int& port) {
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
        const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
        inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
        port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
        const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
        inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
        port = ntohs(a->sin6_port);
    }
    ip = text;
}

}  // namespace

Connection::Connection(int fd, SSL* ssl, const ServeOptions& options) : m_fd(fd), m_ssl(ssl), m_options(options) {
    m_deadline = Clock::now() + std::chrono::seconds(options.header_timeout_s);
    m_budget = options.max_header;
}

Connection::~Connection() {
    if (m_ssl) {
        SSL_shutdown(m_ssl);
        SSL_free(m_ssl);
    }
}

bool Connection::wait_io(short events, Clock::time_point deadline) const {
    for (;;) {
        pollfd p{m_fd, events, 0};
        const int n = ::poll(&p, 1, remaining_ms(deadline));
        if (n > 0) return true;
        if (n == 0) return false;
        if (errno != EINTR) return false;
    }
}

bool Connection::handshake() {
    for (;;) {
        const int rc = SSL_accept(m_ssl);
        if (rc == 1) return true;
        const int err = SSL_get_error(m_ssl, rc);
        if (err == SSL_ERROR_WANT_READ) {
            if (!wait_io(POLLIN, m_deadline)) return false;
        } else if (err == SSL_ERROR_WANT_WRITE) {
            if (!wait_io(POLLOUT, m_deadline)) return false;
        } else {
            return false;
        }
    }
}

Connection::Wait Connection::wait_for_request(std::chrono::milliseconds idle, const std::atomic<bool>& stopping,
                                              int stop_fd, bool first, const std::function<bool()>& crowded) {
    if (m_off < m_len || (m_ssl && SSL_pending(m_ssl) > 0)) return Wait::request;
    const auto deadline = Clock::now() + idle;
    for (;;) {
        if (stopping) {
            // Stopping: a request already sent is served; no new one is awaited.
            pollfd p{m_fd, POLLIN, 0};
            return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN) ? Wait::request : Wait::stopping;
        }
        pollfd p[2] = {{m_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
        const int slice = std::min(remaining_ms(deadline), 100);
        const int n = ::poll(p, 2, slice);
        if (n < 0 && errno != EINTR) return Wait::closed;
        if (n > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) return Wait::request;
        if (n > 0 && (p[1].revents & POLLIN)) continue;  // stopping: checked above
        if (remaining_ms(deadline) == 0) return Wait::idle;
        if (!first && crowded && crowded()) return Wait::idle;
    }
}

void Connection::begin_request() {
    m_request_start = Clock::now();
    m_deadline = m_request_start + std::chrono::seconds(m_options.header_timeout_s);
    m_budget = m_options.max_header;
    m_request_bytes = 0;
    m_timed_out = m_overflow = false;
    handled = responded = close_after = false;
    sku.clear();
}

void Connection::headers_done() {
    m_deadline = m_request_start + std::chrono::seconds(m_options.read_timeout_s);
    // The body's content is bounded by the request handler; this bounds the
    // bytes of its framing (chunk sizes) too.
    m_budget = m_options.max_body * 2 + (64 << 10);
}

ssize_t Connection::fill() {
    for (;;) {
        ssize_t n = 0;
        short want = POLLIN;
        if (m_ssl) {
            n = SSL_read(m_ssl, m_buffer, sizeof m_buffer);
            if (n <= 0) {
                const int err = SSL_get_error(m_ssl, static_cast<int>(n));
                if (err == SSL_ERROR_ZERO_RETURN) return 0;
                if (err == SSL_ERROR_WANT_WRITE)
                    want = POLLOUT;
                else if (err != SSL_ERROR_WANT_READ)
                    return -1;
            }
        } else {
            n = ::recv(m_fd, m_buffer, sizeof m_buffer, 0);
            if (n == 0) return 0;
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        }
        if (n > 0) {
            m_off = 0;
            m_len = static_cast<std::size_t>(n);
            return n;
        }
        if (!wait_io(want, m_deadline)) {
            m_timed_out = true;
            return -1;
        }
    }
}

bool Connection::is_readable() const {
    if (m_off < m_len || (m_ssl && SSL_pending(m_ssl) > 0)) return true;
    return wait_io(POLLIN, m_deadline);
}

bool Connection::is_writable() const { return wait_io(POLLOUT, Clock::now() + write_timeout); }

ssize_t Connection::read(char* ptr, size_t size) {
    if (m_off == m_len) {
        const ssize_t n = fill();
        if (n <= 0 && m_off == m_len) return n;
    }
    std::size_t k = std::min(size, m_len - m_off);
    if (k > m_budget) {
        if (m_budget == 0) {
            m_overflow = true;
            return -1;
        }
        k = m_budget;
    }
    m_budget -= k;
    m_request_bytes += k;
    std::memcpy(ptr, m_buffer + m_off, k);
    m_off += k;
    return static_cast<ssize_t>(k);
}

ssize_t Connection::write(const char* ptr, size_t size) {
    std::size_t done = 0;
    auto deadline = Clock::now() + write_timeout;
    while (done < size) {
        ssize_t n = 0;
        short want = POLLOUT;
        if (m_ssl) {
            n = SSL_write(m_ssl, ptr + done, static_cast<int>(std::min<std::size_t>(size - done, 1 << 30)));
            if (n <= 0) {
                const int err = SSL_get_error(m_ssl, static_cast<int>(n));
                if (err == SSL_ERROR_WANT_READ)
                    want = POLLIN;
                else if (err != SSL_ERROR_WANT_WRITE)
                    return -1;
            }
        } else {
            n = ::send(m_fd, ptr + done, size - done, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        }
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            deadline = Clock::now() + write_timeout;
            continue;
        }
        if (!wait_io(want, deadline)) return -1;
    }
    return static_cast<ssize_t>(done);
}

void Connection::get_remote_ip_and_port(std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, ip, port);
}

void Connection::get_local_ip_and_port(std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, ip, port);
}

}  // namespace invlog::http
