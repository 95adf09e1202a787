"""Reports: tables, plots, HTML and PDF built from typed results (crisis runs, plans, exercises).

Layer: report. It may import model, sim, logistics and ledger projections; nothing below may import it.
Matplotlib is imported only inside the plotting functions.
"""
