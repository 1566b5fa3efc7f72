"""Sentences -> labelled pairs: candidates per anchor, hard-negative mining, labels, and the engines
that run the parallel stages."""
