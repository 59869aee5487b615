#!/usr/bin/env python3
"""A stand-in for vnet-lsp for the headless editor tests (editors/tests/run.sh) while the
real server is not at hand: it speaks LSP over stdio, answers `initialize` and `shutdown`,
and on didOpen/didChange publishes one E0001 diagnostic at the first line that contains
`az cidr` (a subnet whose zone is missing), or none. It logs each method to $FAKE_LSP_LOG."""

import json
import os
import sys


def read_message():
    length = None
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(sys.stdin.buffer.read(length)) if length else None


def send(message):
    body = json.dumps(message).encode()
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    sys.stdout.buffer.flush()


def diagnostics(uri, text):
    found = []
    for number, line in enumerate(text.split("\n")):
        column = line.find("az cidr")
        if column >= 0:
            found.append({
                "range": {"start": {"line": number, "character": column + 3},
                          "end": {"line": number, "character": column + 7}},
                "severity": 1,
                "code": "E0001",
                "source": "vnet",
                "message": "expected an availability zone (`us-east-1a`), found `cidr`",
            })
            break
    send({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
          "params": {"uri": uri, "diagnostics": found}})


def main():
    log = open(os.environ["FAKE_LSP_LOG"], "a") if os.environ.get("FAKE_LSP_LOG") else None
    while True:
        message = read_message()
        if message is None:
            return
        method = message.get("method")
        if log:
            log.write(f"{method}\n")
            log.flush()
        params = message.get("params") or {}
        if method == "initialize":
            send({"jsonrpc": "2.0", "id": message["id"], "result": {
                "capabilities": {"textDocumentSync": 1},
                "serverInfo": {"name": "fake-vnet-lsp"}}})
        elif method == "shutdown":
            send({"jsonrpc": "2.0", "id": message["id"], "result": None})
        elif method == "exit":
            return
        elif method == "textDocument/didOpen":
            doc = params["textDocument"]
            diagnostics(doc["uri"], doc["text"])
        elif method == "textDocument/didChange":
            changes = params["contentChanges"]
            diagnostics(params["textDocument"]["uri"], changes[-1]["text"])
        elif "id" in message:
            send({"jsonrpc": "2.0", "id": message["id"], "result": None})


if __name__ == "__main__":
    main()
