"""Data migrations of the indicators: an indicator gets a measure only where an administrator left it blank."""

import importlib

from django.apps import apps

from canlian.indicators.models import Indicator

organisation_measures = importlib.import_module("canlian.indicators.migrations.0004_organisation_measures")


def _measures() -> dict[str, str]:
    return dict(Indicator.objects.values_list("code", "measure"))


def test_the_organisation_indicators_get_their_measures_where_they_had_none(db):
    Indicator.objects.filter(code__in=["community_officers", "disabled_cadres"]).update(measure="")
    before = _measures()
    organisation_measures.measure_organisation(apps, None)
    after = _measures()
    assert (after["community_officers"], after["disabled_cadres"]) == ("community_officers", "disabled_cadres")
    assert {code: measure for code, measure in after.items() if code not in {"community_officers", "disabled_cadres"}} \
        == {code: measure for code, measure in before.items() if code not in {"community_officers", "disabled_cadres"}}
    assert after["income_growth"] == ""  # another indicator without data keeps saying "no data"


def test_a_measure_an_administrator_gave_is_kept(db):
    Indicator.objects.filter(code="community_officers").update(measure="")
    Indicator.objects.filter(code="disabled_cadres").update(measure="registered")
    organisation_measures.measure_organisation(apps, None)
    assert _measures()["disabled_cadres"] == "registered"
    assert _measures()["community_officers"] == "community_officers"


def test_running_it_again_changes_nothing(db):
    Indicator.objects.filter(code="community_officers").update(measure="")
    organisation_measures.measure_organisation(apps, None)
    once = _measures()
    organisation_measures.measure_organisation(apps, None)
    assert _measures() == once
