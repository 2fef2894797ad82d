"""Fitted weights of the corpus stages, as small JSON files, and the scripts that refit them.

``threads.json`` is fitted by ``train_threads.py`` on an annotated thread set; ``events.json`` by
``train_events.py`` on ECB+. ``make train`` runs both on the development sets beside the checkout.
"""
