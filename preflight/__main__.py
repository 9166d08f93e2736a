"""``python -m preflight`` and the ``gemini-preflight`` console script.

The signal handlers go in before anything else is imported, so a Ctrl-C or
SIGTERM during start-up also ends the run quietly (see :mod:`preflight.interrupt`).
"""

import os

from preflight import interrupt, startup


def main() -> None:
    startup.pause()  # until the run reads files (preflight/startup.py)
    try:  # a signal can come as soon as a handler is in, before install() returns
        interrupt.install()
        from preflight.cli import entry

        entry()  # handles signals itself from here and never returns
    except interrupt.Interrupted as exc:  # came while importing
        os._exit(interrupt.stopped(exc))


if __name__ == "__main__":
    main()
