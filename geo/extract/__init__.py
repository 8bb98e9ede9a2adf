"""``geo extract``: from an article's plain text to a draft place list.

- :func:`extract` finds the place mentions, resolves them with the whole article as
  context and merges the spellings of one place;
- :func:`geo.extract.draft.render` writes the result as a place list (YAML);
- :func:`quotes_for` gives the sentences that mention a place, for map popups.
"""

from geo.extract.core import Extraction, Extractor, Mention, Place, extract
from geo.extract.quotes import quotes_for

__all__ = ["Extraction", "Extractor", "Mention", "Place", "extract", "quotes_for"]
