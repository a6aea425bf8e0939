#!/usr/bin/python3
"""Raw-socket clients for the limit tests of `invlog serve`: what curl will
not send. Each prints what it saw as one line.

    serve_raw.py PORT huge-header BYTES     -> the status line of the answer
    serve_raw.py PORT bad-line              -> the status line of the answer
    serve_raw.py PORT slow SECONDS          -> "closed after S s: STATUS LINE" (a byte every 0.2 s)
    serve_raw.py PORT hold N SECONDS        -> opens N connections that send nothing, holds them
    serve_raw.py PORT half-body FIFO        -> sends headers and half a body, waits for a line on
                                               FIFO, sends the rest; prints status and body
"""
import socket
import sys
import time

port = int(sys.argv[1])
what = sys.argv[2]


def connect():
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    return s


def read_all(s):
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    return data


def status_line(data):
    return data.split(b"\r\n", 1)[0].decode(errors="replace") if data else "(no answer)"


if what == "huge-header":
    s = connect()
    n = int(sys.argv[3])
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * n + b"\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    print(status_line(read_all(s)))
elif what == "bad-line":
    s = connect()
    s.sendall(b"THIS IS NOT HTTP\r\n\r\n")
    print(status_line(read_all(s)))
elif what == "slow":
    s = connect()
    start = time.monotonic()
    limit = float(sys.argv[3])
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000 + b"\r\n\r\n"
    answer = b""
    for byte in request:
        try:
            s.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            break
        s.settimeout(0.2)
        try:
            answer = s.recv(65536)
            if answer or time.monotonic() - start > limit:
                break
        except socket.timeout:
            pass
        except ConnectionResetError:
            break
    s.settimeout(5)
    answer += read_all(s)
    print(f"closed after {time.monotonic() - start:.1f} s: {status_line(answer)}")
elif what == "hold":
    conns = [connect() for _ in range(int(sys.argv[3]))]
    print("holding", flush=True)
    time.sleep(float(sys.argv[4]))
elif what == "half-body":
    s = connect()
    body = b'{"quantity":1}'
    s.sendall(b"POST /inventory/HALF/receive HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:5])
    print("sent half", flush=True)
    with open(sys.argv[3]) as fifo:
        fifo.readline()
    time.sleep(0.2)
    s.sendall(body[5:])
    data = read_all(s)
    print(status_line(data), data.split(b"\r\n\r\n", 1)[-1].decode(errors="replace"))
