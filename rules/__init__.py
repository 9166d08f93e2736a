"""The built-in rule pack, installed as ``preflight.rules``.

One module per rule. A module defines its documentation as the module
docstring and one ``RULE = Rule(...)``; the engine discovers it, so adding a
rule touches only its module, its sample configs and its tests.
"""
