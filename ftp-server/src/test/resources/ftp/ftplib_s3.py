"""Drives the FTP door of a server whose homes are on S3; argv: port, local file. Exit 0 when all pass."""
import ftplib
import hashlib
import io
import sys

port, local = int(sys.argv[1]), sys.argv[2]
data = open(local, "rb").read()


def check(name, ok, detail=""):
    print("OK" if ok else "FAIL", name, "" if ok else detail)
    ok or sys.exit(1)


f = ftplib.FTP()
f.connect("127.0.0.1", port, timeout=30)
check("login", f.login("xiaoyu", "123456").startswith("230"))
check("empty home", f.nlst() == [], f.nlst())
check("mkd", f.mkd("docs") == "/docs")
f.cwd("docs")
check("pwd", f.pwd() == "/docs")
reply = f.storbinary("STOR up.bin", io.BytesIO(data))
check("stor names sha256", reply.endswith("SHA-256 " + hashlib.sha256(data).hexdigest()), reply)
check("size", f.size("up.bin") == len(data))
lines = []
f.retrlines("LIST", lines.append)
check("list", len(lines) == 1 and lines[0].endswith(" up.bin") and (" %d " % len(data)) in lines[0], lines)
check("rename", f.rename("up.bin", "moved.bin").startswith("250"))
buf = io.BytesIO()
f.retrbinary("RETR moved.bin", buf.write)
check("retr", buf.getvalue() == data)
check("dele", f.delete("moved.bin").startswith("250"))
f.cwd("/")
check("rmd", f.rmd("docs").startswith("250"))
check("empty again", f.nlst() == [], f.nlst())
f.quit()
print("OK quit")
