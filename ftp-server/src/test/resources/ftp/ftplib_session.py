"""Drives the FTP door with Python's ftplib; argv: port, quota-test-bytes. Prints one line per check; exit 0 when all pass."""
import ftplib
import hashlib
import io
import sys

port = int(sys.argv[1])
too_big = int(sys.argv[2])


def check(name, ok, detail=""):
    if not ok:
        print("FAIL", name, detail)
        sys.exit(1)
    print("OK", name)


f = ftplib.FTP()
f.connect("127.0.0.1", port, timeout=20)
check("greeting", f.getwelcome().startswith("220"))
try:
    f.sendcmd("PWD")
    check("530 before login", False)
except ftplib.error_perm as e:
    check("530 before login", str(e).startswith("530"))
check("login", f.login("xiaoyu", "123456").startswith("230"))
check("syst", f.sendcmd("SYST") == "215 UNIX Type: L8")
check("feat", "EPSV" in f.sendcmd("FEAT"))
check("nlst", sorted(f.nlst()) == ["notes", "sample.bin", "welcome.txt"], f.nlst())
lines = []
f.retrlines("LIST", lines.append)
check("list ls -l", any(l.startswith("drwxr-xr-x") and l.endswith(" notes") for l in lines), lines)
check("mkd", f.mkd("py") == "/py")
f.cwd("py")
check("pwd", f.pwd() == "/py")
data = bytes(range(256)) * 400
reply = f.storbinary("STOR a.bin", io.BytesIO(data))
check("stor names sha256", reply == "226 stored /py/a.bin; SHA-256 " + hashlib.sha256(data).hexdigest(), reply)
check("size", f.size("a.bin") == len(data))
buf = io.BytesIO()
f.retrbinary("RETR a.bin", buf.write)
check("retr", buf.getvalue() == data)
buf = io.BytesIO()
f.retrbinary("RETR a.bin", buf.write, rest=1000)
check("rest retr", buf.getvalue() == data[1000:])
check("rename", f.rename("a.bin", "b.bin").startswith("250"))
try:
    try:
        f.storbinary("STOR big.bin", io.BytesIO(b"z" * too_big))
        check("quota 552", False)
    except (BrokenPipeError, ConnectionResetError):
        f.voidresp()  # the server cut the data connection once the quota was passed; its 552 waits here
        check("quota 552", False)
except ftplib.error_temp as e:
    check("quota 552", False, str(e))
except ftplib.error_perm as e:
    check("quota 552", str(e).startswith("552"), str(e))
check("over quota publishes nothing", "big.bin" not in f.nlst())
f.cwd("../../..")
check("cwd stays in home", f.pwd() == "/")
try:
    f.sendcmd("PORT 127,0,0,1,4,1")
    check("port refused", False)
except ftplib.error_perm as e:
    check("port refused", str(e).startswith("502"))
check("quit", f.quit().startswith("221"))
