// One client connection of the server module: the httplib::Stream that
// cpp-httplib reads requests from and writes responses to, over a
// non-blocking socket (and OpenSSL for HTTPS). cpp-httplib 0.11 bounds
// neither the length of a line nor the time a request takes to arrive, so
// this stream does: a request's line and headers must fit in max_header
// bytes and arrive within header_timeout of its first byte, and the whole
// request within read_timeout; past either, reads fail and the connection
// is closed. A slow or hostile client holds one thread for a bounded time.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

#include <httplib.h>

#include "invlog/http/options.hpp"

namespace invlog::http {

using Clock = std::chrono::steady_clock;

class Connection : public httplib::Stream {
public:
    Connection(int fd, SSL* ssl, const ServeOptions& options);
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char* ptr, size_t size) override;
    ssize_t write(const char* ptr, size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    socket_t socket() const override { return m_fd; }

    // The TLS handshake, within the header timeout.
    bool handshake();

    enum class Wait { request, idle, closed, stopping };
    // Waits for the first byte of the next request, up to `idle`; gives up
    // early when `stopping` is set or (after the first request) when
    // `crowded` says other connections wait for a thread.
    Wait wait_for_request(std::chrono::milliseconds idle, const std::atomic<bool>& stopping, int stop_fd, bool first,
                          const std::function<bool()>& crowded);

    // The phases of one request: its line and headers, then its body.
    void begin_request();
    void headers_done();

    // What happened to the current request.
    bool timed_out() const { return m_timed_out; }
    bool overflowed() const { return m_overflow; }
    std::size_t request_bytes() const { return m_request_bytes; }
    Clock::time_point request_start() const { return m_request_start; }

    // Per-request state the server's callbacks share.
    bool handled = false;      // the service produced the response
    bool responded = false;    // a response was written (and logged)
    bool close_after = false;  // the body was not read, or the request was malformed
    std::string sku;
    std::string remote;

private:
    ssize_t fill();
    bool wait_io(short events, Clock::time_point deadline) const;

    int m_fd;
    SSL* m_ssl;
    const ServeOptions& m_options;
    char m_buffer[16384];
    std::size_t m_off = 0, m_len = 0;
    Clock::time_point m_request_start{};
    Clock::time_point m_deadline{};
    std::size_t m_budget = 0;
    std::size_t m_request_bytes = 0;
    bool m_timed_out = false;
    bool m_overflow = false;
};

}  // namespace invlog::http
