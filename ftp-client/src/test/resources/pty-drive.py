"""Runs a command on a pseudo-terminal and plays a script of keystrokes to it, as a person at a terminal.

usage: python3 pty-drive.py STEPS_FILE -- COMMAND ARGS...
STEPS_FILE lines: "expect TEXT" waits (up to 20 s) until TEXT appears in the output after the previous
expect's match; "send KEYS" types KEYS (Python escapes: \\r Enter, \\t Tab, \\x1b[A Up, \\x12 Ctrl-R).
Prints the whole transcript (the terminal's output) to stdout, then "exit=N" (or "missed=TEXT") on stderr.
"""
import fcntl, os, pty, select, struct, sys, termios, time

steps_file, command = sys.argv[1], sys.argv[sys.argv.index("--") + 1:]
steps = [line.rstrip("\n").split(" ", 1) for line in open(steps_file, encoding="utf-8") if line.strip()]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
out, seen = b"", 0


def pump(seconds):
    global out
    ready, _, _ = select.select([fd], [], [], seconds)
    if not ready:
        return True
    try:
        data = os.read(fd, 4096)
    except OSError:
        return False
    out += data
    return bool(data)


for verb, arg in steps:
    keys = arg.encode("latin1").decode("unicode_escape").encode("latin1")
    if verb == "send":
        os.write(fd, keys)
        continue
    deadline = time.time() + 20
    while keys not in out[seen:] and time.time() < deadline and pump(0.1):
        pass
    if keys not in out[seen:]:
        sys.stderr.write("missed=" + arg + "\n")
        break
    seen = out.index(keys, seen) + len(keys)
deadline, open_ = time.time() + 20, True
while open_ and time.time() < deadline:
    open_ = pump(0.1)
if open_:  # still running after the script: not what any test wants
    os.kill(pid, 9)
code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
sys.stdout.write(out.decode("utf-8", "replace"))
sys.stderr.write("exit=%d\n" % code)
