"""The routines 'Reproduce this' scripts run, as real, linted and tested code that core.script_source copies into them.

Each module imports only torch, the standard library and its siblings here: a script runs where nothing of this
repository is installed.
"""
