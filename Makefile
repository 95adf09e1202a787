# csto — two commands on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck contracts pytest docs bench reliability dist clean

# dev pulls every extra (csto[all]): the tests exercise the room, sweeps, reports and PostgreSQL.
$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/csto crisis run kazakhstan-2022

lint: $(STAMP)
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools

typecheck: $(STAMP)
	$(BIN)/mypy

# The layering (what each package may import) as import-linter contracts, in .importlinter. No cache: its
# cached imports can be resolved against packages that did not exist yet (a stale result).
contracts: $(STAMP)
	$(BIN)/lint-imports --no-cache

# Two workers for the unit and integration tests (2 cores); the reliability tests (crash, concurrency,
# load: timing-sensitive) run alone afterwards. loadgroup: tests marked xdist_group("NAME") share one worker
# (the packaging tests build one wheel and one venv).
pytest: $(STAMP)
	$(BIN)/pytest -q -n 2 --dist loadgroup -m "not reliability"
	$(BIN)/pytest -q -m reliability

test: lint typecheck contracts pytest docs

# The documentation site, offline and --strict, into site/: the tutorials' code runs (a failing cell fails the
# build), the CLI reference and the OpenAPI document are generated; then no broken internal link, nothing external.
docs: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	$(BIN)/python tools/check_links.py site

# The reliability tests alone (they also run in `make test`), then the README's table from their figures.
reliability: $(STAMP)
	$(BIN)/pytest -q -m reliability
	$(BIN)/python tools/reliability_table.py

# Benchmarks print figures and fail on no target (only on a Mesa/kernel disagreement); the Monte Carlo one
# runs last so that its JSON is the last line.
# OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (set on some processors) slow a current numpy: unset for benchmarks only.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	# bytecode as an installed package has it (pip compiles on install; an editable tree under
	# PYTHONDONTWRITEBYTECODE=1 would recompile csto's source in every timed process)
	$(BIN)/python -m compileall -q src
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/bench_airlift.py
	rm -rf benchmarks/.results  # each script below writes its keys there for the final line (benchmarks/README.md)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/bench_ledger.py
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/bench_dask.py
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/bench_calibrate.py
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/bench_montecarlo.py

# The sdist and the wheel under dist/ (`pip install dist/csto-*.whl` is the core; add extras as csto[web] etc.).
dist: $(STAMP)
	$(BIN)/python -m build --outdir dist

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist
