#!/usr/bin/env python3
"""Starts pyftpdlib (the Debian package) on 127.0.0.1 for the benchmark. Usage:
pyftpd_serve.py PORT USER PASSWORD HOME PASV_FIRST PASV_LAST"""
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def main():
    port, user, password, home = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    first, last = int(sys.argv[5]), int(sys.argv[6])
    authorizer = DummyAuthorizer()
    authorizer.add_user(user, password, home, perm="elradfmw")
    handler = FTPHandler
    handler.authorizer = authorizer
    handler.passive_ports = range(first, last + 1)
    handler.masquerade_address = None
    server = FTPServer(("127.0.0.1", port), handler, backlog=1024)
    server.max_cons = 4096
    server.max_cons_per_ip = 0
    server.serve_forever(handle_exit=True)


if __name__ == "__main__":
    main()
