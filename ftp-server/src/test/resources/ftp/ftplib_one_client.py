"""argv: port, remote name, local file, file to download into. One ftplib client: log in, STOR, RETR, QUIT."""
import ftplib
import hashlib
import sys

port, name, local, back = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
f = ftplib.FTP()
f.connect("127.0.0.1", port, timeout=30)
f.login("xiaoyu", "123456")
with open(local, "rb") as src:
    data = src.read()
    src.seek(0)
    reply = f.storbinary("STOR " + name, src)
assert reply.endswith(hashlib.sha256(data).hexdigest()), reply
with open(back, "wb") as dst:
    f.retrbinary("RETR " + name, dst.write)
f.quit()
print("done", name)
