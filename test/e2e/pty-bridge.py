#!/usr/bin/env python3
# Runs a command on a real pseudo terminal (Python's pty module): our stdin goes to it as keystrokes, its screen output
# comes back on our stdout. The window is ROWSxCOLS (env PTY_ROWS, PTY_COLS). Exits with the command's status.
import os, pty, select, signal, struct, sys, fcntl, termios

rows, cols = int(os.environ.get('PTY_ROWS', '60')), int(os.environ.get('PTY_COLS', '160'))
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
stdin_open = True
while True:
    watch = [fd] + ([0] if stdin_open else [])
    ready, _, _ = select.select(watch, [], [], 0.5)
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
    if stdin_open and 0 in ready:
        data = os.read(0, 4096)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False
            os.kill(pid, signal.SIGTERM)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else status >> 8)
