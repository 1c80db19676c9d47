"""Continues a cut upload the way ftplib users do; argv: port, remote name, local file. Exit 0 when 226 came."""
import ftplib
import io
import sys

port, name, local = int(sys.argv[1]), sys.argv[2], sys.argv[3]
data = open(local, "rb").read()
f = ftplib.FTP()
f.connect("127.0.0.1", port, timeout=30)
f.login("xiaoyu", "123456")
f.voidcmd("TYPE I")
held = f.size(name)
print("held", held)
reply = f.storbinary("STOR " + name, io.BytesIO(data[held:]), rest=held)
print(reply)
f.quit()
sys.exit(0 if reply.startswith("226") else 1)
