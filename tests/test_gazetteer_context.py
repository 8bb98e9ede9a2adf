"""Names of one text resolved together: the other names decide among homonyms."""

from __future__ import annotations

import textwrap

import pytest
from gazetteer_fixture import use_test_index

from geo.gazetteer import peers_of
from geo.gazetteer.index import IndexGazetteer
from geo.placelist import parse
from geo.resolve import resolve

PARIS_FRANCE, PARIS_TEXAS = "2988507", "4717560"


@pytest.fixture(scope="module")
def gazetteer() -> IndexGazetteer:
    return IndexGazetteer(use_test_index(), build_if_needed=False)


def best_with_peers(gazetteer: IndexGazetteer, names: list[str]) -> str:
    peers = peers_of(gazetteer, names)
    (match,) = gazetteer.lookup(names[0], peers=[peer for name, peer in peers.items() if name != names[0]])
    return match.id


def test_alone_paris_is_the_capital(gazetteer: IndexGazetteer) -> None:
    assert gazetteer.lookup("Paris")[0].id == PARIS_FRANCE


def test_east_texas_towns_make_paris_the_texan_one(gazetteer: IndexGazetteer) -> None:
    assert best_with_peers(gazetteer, ["Paris", "Tyler", "Longview", "Texarkana"]) == PARIS_TEXAS


def test_french_cities_keep_paris_in_france(gazetteer: IndexGazetteer) -> None:
    assert best_with_peers(gazetteer, ["Paris", "Lyon", "Marseille"]) == PARIS_FRANCE


def test_a_name_with_no_confident_match_is_no_peer(gazetteer: IndexGazetteer) -> None:
    peers = peers_of(gazetteer, ["Tyler", "Qzxqzxq"])
    assert set(peers) == {"Tyler"}


def test_a_place_list_of_names_only_is_resolved_together(gazetteer: IndexGazetteer) -> None:
    places = parse(textwrap.dedent("""\
        title: Storms in East Texas
        places:
          - name: Paris
          - name: Tyler
          - name: Longview
        """))
    resolution = resolve(places, gazetteer)
    paris = resolution.by_name()["Paris"]
    assert paris.match is not None and paris.match.id == PARIS_TEXAS
    assert "4717560" in paris.origin
