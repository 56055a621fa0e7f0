"""The commands, as library calls: each returns a result that carries its data, its exit
code and its one JSON envelope; :mod:`scaffold.cli` only parses, calls, prints and exits.
"""
