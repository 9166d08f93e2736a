"""``python -m preflight``: the same as the ``gemini-preflight`` command."""

from preflight.cli import entry

if __name__ == "__main__":
    entry()
