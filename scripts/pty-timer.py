#!/usr/bin/env python3
"""Times an interactive program through a real pseudo-terminal, as a person at a terminal sees it.

Usage: pty-timer.py COLUMNS ROWS MARKER TIMEOUT_S -- PROGRAM [ARG...]

Prints one JSON object, milliseconds from the spawn:
  firstByte  the first byte the program writes to the terminal
  firstText  the first visible text (escape sequences stripped)
  ready      when MARKER first appears on screen; then it presses q and waits for the exit
  exit       the exit status (negative: killed by that signal, after the timeout)
"""
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

columns, rows, marker, timeout = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode(), float(sys.argv[4])
program = sys.argv[sys.argv.index('--') + 1:]
escapes = re.compile(rb'\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])')

controller, terminal = os.openpty()
fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack('HHHH', rows, columns, 0, 0))
started = time.monotonic()
child = subprocess.Popen(
    program, stdin=terminal, stdout=terminal, stderr=terminal, start_new_session=True,
    env=dict(os.environ, TERM=os.environ.get('TERM', 'xterm-256color')),
    # The terminal becomes the child's controlling terminal, as a shell would make it.
    preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
)
os.close(terminal)

moments = {'firstByte': None, 'firstText': None, 'ready': None}
screen = b''


def read_some(wait):
    """Reads what the program wrote within `wait` seconds; None once the terminal is closed."""
    ready, _, _ = select.select([controller], [], [], wait)
    if not ready:
        return b''
    try:
        return os.read(controller, 65536)
    except OSError:
        return None


deadline = started + timeout
while moments['ready'] is None and time.monotonic() < deadline:
    data = read_some(0.05)
    if data is None:
        break
    if not data:
        continue
    now = time.monotonic()
    moments['firstByte'] = moments['firstByte'] or now
    screen += data
    text = escapes.sub(b'', screen)
    if moments['firstText'] is None and text.strip():
        moments['firstText'] = now
    if marker in text:
        moments['ready'] = now
        os.write(controller, b'q')

# The program must see its terminal drained to exit; it gets five seconds, then it is killed.
exit_deadline = time.monotonic() + 5
while child.poll() is None and time.monotonic() < exit_deadline:
    if read_some(0.05) is None:
        break
if child.poll() is None:
    os.killpg(child.pid, signal.SIGKILL)
child.wait()

result = {name: None if at is None else round((at - started) * 1000, 1) for name, at in moments.items()}
result['exit'] = child.returncode
print(json.dumps(result))
