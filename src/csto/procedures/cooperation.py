"""Cooperation procedures (exercises, arms supply, training quotas, budget, intelligence, standing operations).

Placeholder module: the procedures are registered here with ``engine.register``.
"""
