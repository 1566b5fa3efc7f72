"""Files -> sentences: walking the corpus, decoding, paragraphs, segmentation and filters."""
