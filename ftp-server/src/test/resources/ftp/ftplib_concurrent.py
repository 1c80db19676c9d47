"""argv: port, clients. Each client logs in, stores its own file, reads it back, lists and quits, all at once."""
import ftplib
import hashlib
import io
import os
import sys
import threading

port, clients = int(sys.argv[1]), int(sys.argv[2])
failures = []


def client(n):
    try:
        data = os.urandom(30_000 + n)
        f = ftplib.FTP()
        f.connect("127.0.0.1", port, timeout=30)
        f.login("xiaoyu", "123456")
        reply = f.storbinary("STOR c%d.bin" % n, io.BytesIO(data))
        assert reply.endswith(hashlib.sha256(data).hexdigest()), reply
        buf = io.BytesIO()
        f.retrbinary("RETR c%d.bin" % n, buf.write)
        assert buf.getvalue() == data, "download differs"
        assert "c%d.bin" % n in f.nlst()
        f.quit()
    except Exception as e:  # noqa: BLE001 - any failure of any client fails the run
        failures.append("client %d: %r" % (n, e))


threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("failures:", len(failures))
for f in failures:
    print(f)
sys.exit(1 if failures else 0)
