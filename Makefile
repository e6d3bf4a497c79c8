# make demo: set up .venv and build the sample briefing; make test: run the test suite;
# make model: train models/digest-bart-zh again (about 95 minutes on 2 CPU cores).
PYTHON ?= python3
VENV := .venv
SAMPLE := examples/tianjin-zwb-2026-01.json

.PHONY: demo test bench model clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	# torch first, pinned: any other version resolves to a multi-GB CUDA build
	$(VENV)/bin/python -m pip install --quiet torch==2.13.0
	$(VENV)/bin/python -m pip install --quiet -e '.[test,model,ray]'
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
	$(VENV)/bin/python bench/classify_heldout.py
	$(VENV)/bin/python bench/rouge_lcsts.py --model models/digest-bart-zh

# glibc would hand every large tensor buffer back to the kernel after each step and
# fault it in again on the next (measured: kernel time per 8 steps 1.4 s -> 0.6 s).
model: $(VENV)/.installed
	GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4294967296:glibc.malloc.trim_threshold=4294967296 \
		$(VENV)/bin/python -m training.train --config training/config.toml

clean:
	rm -rf $(VENV) out .pytest_cache
