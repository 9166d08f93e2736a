"""Fake Google servers on 127.0.0.1 and a sandboxed environment for live-probe tests."""
