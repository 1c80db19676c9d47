"""FTPS with Python's ftplib against the FTP door: AUTH TLS, PROT P, upload, download, LIST.

usage: ftplib_tls.py PORT CAFILE MODE FILE
  MODE reuse:    data connections resume the control connection's TLS session (the known subclass)
  MODE no-reuse: plain FTP_TLS, which does not; the server must refuse the data connection
Prints one "OK ..." line per step that worked; exits non-zero on an unexpected failure.
"""
import ftplib
import hashlib
import io
import ssl
import sys

port, cafile, mode, path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


class ReusingFTP_TLS(ftplib.FTP_TLS):
    """FTP_TLS whose data connections resume the control connection's session (as curl and lftp do)."""

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size


context = ssl.create_default_context(cafile=cafile)
cls = ReusingFTP_TLS if mode == "reuse" else ftplib.FTP_TLS
ftp = cls(context=context, timeout=30)
ftp.connect("127.0.0.1", port)
ftp.auth()
print("OK auth", ftp.sock.version())
ftp.login("xiaoyu", "123456")
print("OK login")
print("OK pbsz/prot", ftp.prot_p())
with open(path, "rb") as f:
    body = f.read()
name = "ftplib-tls.bin"
if mode == "reuse":
    reply = ftp.storbinary("STOR " + name, io.BytesIO(body))
    print("OK stored", reply)
    got = io.BytesIO()
    ftp.retrbinary("RETR " + name, got.write)
    if hashlib.sha256(got.getvalue()).hexdigest() != hashlib.sha256(body).hexdigest():
        sys.exit("downloaded bytes differ")
    print("OK retrieved", len(got.getvalue()))
    lines = []
    ftp.retrlines("LIST", lines.append)
    if not any(line.endswith(" " + name) for line in lines):
        sys.exit("LIST lacks the upload: %r" % lines)
    print("OK listed", len(lines))
else:
    try:
        ftp.storbinary("STOR " + name, io.BytesIO(body))
        sys.exit("the server took a data connection that did not resume the session")
    except (ssl.SSLError, OSError, ftplib.Error) as e:
        print("OK refused", type(e).__name__, e)
    try:
        print("OK reply", ftp.getresp())
    except ftplib.Error as e:
        print("OK reply", e)
ftp.quit()
print("OK quit")
