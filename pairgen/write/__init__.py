"""Pairs -> the Hub-layout folder: the atomic folder, parquet shards, card and plot."""
