.PHONY: install test lint bench demo

install:
	pip install torch==2.13.0 && pip install -e ".[all]"

test:
	python -m pytest -q

lint:
	ruff check . && ruff format --check pairgen tests benchmarks && mypy

bench:
	python benchmarks/bench_build.py

demo:
	pairgen build corpus/ -n 2000 --overwrite
