"""Tests of ``csto.ledger`` and ``csto ledger``: the backend contract, events, opening, projections, CLI.

A package so that its module names cannot collide with other test folders' files.
"""
