"""``python -m preflight``: the same as the ``gemini-preflight`` command."""

from preflight.cli import main

if __name__ == "__main__":
    main()
