#!/usr/bin/env python3
"""Starts pyftpdlib (the Debian package) on 127.0.0.1 for the benchmark. Usage:
pyftpd_serve.py PORT USER PASSWORD HOME PASV_FIRST PASV_LAST [CERT KEY]
With CERT and KEY (PEM) it serves FTPS (TLS_FTPHandler, needs pyOpenSSL: python3-openssl) and requires TLS
on the control and the data connections, as the other FTPS peers are configured. pyftpdlib 1.5.7 (Debian 12)
resets a data connection whose TLS handshake the client starts before the transfer command, as curl does
(pyftpdlib issue #604); the data handler here carries the upstream fix (pull request #612, in 1.5.8): a
connection in its TLS handshake is readable."""
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
    if len(sys.argv) > 8:
        from pyftpdlib.handlers import TLS_DTPHandler, TLS_FTPHandler

        class HandshakeReadableDTPHandler(TLS_DTPHandler):
            def readable(self):
                return self._ssl_accepting or super().readable()

        handler = TLS_FTPHandler
        handler.dtp_handler = HandshakeReadableDTPHandler
        handler.certfile, handler.keyfile = sys.argv[7], sys.argv[8]
        handler.tls_control_required = True
        handler.tls_data_required = True
    handler.authorizer = authorizer
    handler.passive_ports = range(first, last + 1)
    handler.masquerade_address = None
    server = FTPServer(("127.0.0.1", port), handler, backlog=1024)
    server.max_cons = 4096
    server.max_cons_per_ip = 0
    server.serve_forever(handle_exit=True)


if __name__ == "__main__":
    main()
