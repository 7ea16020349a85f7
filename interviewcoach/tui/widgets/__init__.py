"""Reusable widgets: level meter, timer bar, score card, delivery bands and the highlighted transcript."""
