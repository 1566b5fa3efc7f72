"""Paraphrases: the augmenter protocol and registry, one module per family, and the language layer
the synonym family uses (morphology, lexicon, protection, thesaurus import)."""
