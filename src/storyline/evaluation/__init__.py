"""Measuring storyline against annotated corpora.

`ecbplus` reads the ECB+ event-coreference corpus (tokens, mentions, gold chains, the sentences whose
annotation is complete); `coref` scores a clustering of mentions against a gold one with the field's
standard metrics (MUC, B³, CEAF-e and their mean, the CoNLL F1).
"""
