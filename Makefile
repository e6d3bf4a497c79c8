# make demo: set up .venv and build the sample briefing; make test: run the test suite.
PYTHON ?= python3
VENV := .venv
SAMPLE := examples/tianjin-zwb-2026-01.json

.PHONY: demo test bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	# torch first, pinned: any other version resolves to a multi-GB CUDA build
	$(VENV)/bin/python -m pip install --quiet torch==2.13.0
	$(VENV)/bin/python -m pip install --quiet -e '.[test,model]'
	touch $@

demo: $(VENV)/.installed
	mkdir -p out
	$(VENV)/bin/digest daily --input $(SAMPLE) --date 2026-01-19 --format html --output out/daily-2026-01-19.html
	$(VENV)/bin/digest weekly --input examples/ --week 2026-W03 --format md --output out/weekly-2026-W03.md
	@echo "open out/daily-2026-01-19.html (and out/weekly-2026-W03.md)"

test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest -q

bench: $(VENV)/.installed
	$(VENV)/bin/python bench/classify_titles.py --posts

clean:
	rm -rf $(VENV) out .pytest_cache
