"""Reports: tables, plots and HTML built from the model (and later from runs and plans).

Layer: report. It may import model, sim and logistics; nothing below may import it.
Matplotlib is imported only inside the plotting functions.
"""
