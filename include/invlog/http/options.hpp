// What `invlog serve` was asked to do, parsed and checked by the CLI
// (src/cli/serve.cpp) and carried out by the HTTP module.
#pragma once

#include <cstddef>
#include <string>

namespace invlog::http {

struct ServeOptions {
    std::string db;                  // the database file (created when missing)
    int lock_timeout_ms = 5000;      // for the writer's connection
    std::string host = "127.0.0.1";  // never a public address unless told to
    int port = 8000;                 // 0: any free port (the log says which)
    std::string actor = "http";      // recorded when a request names none
    std::string token_file;          // empty: no authentication
    std::string tls_cert;            // both or neither
    std::string tls_key;
    std::size_t max_body = 1 << 20;     // bytes of a request body
    std::size_t max_header = 16 << 10;  // bytes of the request line and headers
    int threads = 64;                   // connections served at once
    int max_queue = 256;                // connections waiting for a thread; more get 503
    int header_timeout_s = 10;          // the line and headers must arrive within this
    int read_timeout_s = 30;            // the whole request must arrive within this
    int idle_timeout_s = 5;             // a keep-alive connection may idle this long
};

}  // namespace invlog::http
