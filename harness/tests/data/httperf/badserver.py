#!/usr/bin/env python3
"""badserver.py: a misbehaving HTTP server for recording httperf's error counters
(pvbench harness/tests/data/httperf). Usage: badserver.py PORT MODE
  silent  accept every connection, read the request, never answer (client-timo)
  reset   accept, read the request, close with SO_LINGER {1, 0} so the client gets
          an RST (connreset)
  mixed   per accepted connection, in turn: answer, answer, stall, reset
Answers are HTTP/1.1 200 with a 1024-byte body and Connection: close."""
import socket, struct, sys, threading

port, mode = int(sys.argv[1]), sys.argv[2]
body = b"x" * 1024
reply = (b"HTTP/1.1 200 OK\r\nContent-Length: 1024\r\nConnection: close\r\n\r\n" + body)
stalled = []  # keep silent sockets open until the process ends


def serve(conn, what):
    try:
        conn.recv(4096)
        if what == "answer":
            conn.sendall(reply)
            conn.close()
        elif what == "stall":
            stalled.append(conn)
        else:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
    except OSError:
        conn.close()


plan = {"silent": ["stall"], "reset": ["reset"],
        "mixed": ["answer", "answer", "stall", "reset"]}[mode]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(1024)
n = 0
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c, plan[n % len(plan)]), daemon=True).start()
    n += 1
