"""geo: the places a news article mentions, as an annotated interactive map.

The pipeline, one module a step: ``placelist`` (read and check places.yaml) →
``gazetteer`` (names to coordinates) → ``resolve`` and ``geometry`` (placements to
geodesic shapes) → ``webmap`` (the folium page) and ``geojson`` (the data).
"""

__version__ = "0.1.0"
