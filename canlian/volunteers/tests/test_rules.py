"""Which volunteers suit a request and in what order (就近对接), star levels by hours (星级志愿者), how urgently a
person needs help in an emergency (应急需求), and the needs to ask about on a visit: pure rules, in policy words."""

from decimal import Decimal

import pytest

from canlian.registry.choices import Category
from canlian.volunteers.rules import EmergencyNeed, RequestKind, match, needs_suggested, star_level, urgency

# The test city's tree as materialised paths of area codes: two communities directly under the city, and the sumu
# with two gacha.
CITY = "/152501000000/"
BEIJIANG = CITY + "152501001001/"
DONGCHENG = CITY + "152501001002/"
SUMU = CITY + "152501200000/"
GACHA_ONE = SUMU + "152501200200/"
GACHA_TWO = SUMU + "152501200201/"

STARS = [Decimal(100), Decimal(300), Decimal(600), Decimal(1000), Decimal(1500)]  # 中国志愿服务联合会星级认定


def _match(volunteer_path: str, person_path: str, *, in_hand: int = 0, skills=(RequestKind.ESCORT,),
           kind: str = RequestKind.ESCORT, volunteer_id: int = 1):
    return match(volunteer_id=volunteer_id, skills=list(skills), request_kind=kind,
                 volunteer_area_path=volunteer_path, person_area_path=person_path, open_requests=in_hand)


def _order(person_path: str, volunteers: dict[str, tuple[str, int]]) -> list[str]:
    """The volunteers' names, best first, for a request of a person living at `person_path`."""
    ranked = [(_match(path, person_path, in_hand=in_hand).rank, name) for name, (path, in_hand) in volunteers.items()]
    return [name for _rank, name in sorted(ranked)]


# ---- Matching a request to a volunteer (对接志愿者) --------------------------------------------------------------

def test_a_volunteer_who_does_not_offer_the_help_asked_for_is_not_suitable_however_close():
    assert _match(BEIJIANG, BEIJIANG, skills=[RequestKind.TUTORING, RequestKind.DAILY_CARE]) is None


def test_a_volunteer_offering_nothing_is_never_suitable():
    assert _match(BEIJIANG, BEIJIANG, skills=[]) is None


def test_the_candidate_carries_the_volunteers_id():
    assert _match(BEIJIANG, BEIJIANG, volunteer_id=42).volunteer_id == 42


def test_a_gacha_persons_volunteers_rank_own_gacha_then_the_sumu_and_its_gacha_then_the_city_then_elsewhere():
    order = _order(GACHA_ONE, {
        "其他社区": (BEIJIANG, 0), "市级": (CITY, 0), "苏木": (SUMU, 0), "邻近嘎查": (GACHA_TWO, 0),
        "本嘎查": (GACHA_ONE, 0)})
    assert order[0] == "本嘎查"
    assert set(order[1:3]) == {"苏木", "邻近嘎查"}  # the sumu above and a neighbouring gacha are equally near
    assert order[3:] == ["市级", "其他社区"]


def test_a_community_persons_neighbouring_community_ranks_before_a_city_level_volunteer():
    # The communities of the city sit directly under it: a volunteer registered for the whole city is "registered
    # higher up", not a neighbour, though the city is the community's parent.
    order = _order(BEIJIANG, {"市级": (CITY, 0), "其他苏木嘎查": (GACHA_ONE, 0), "东城": (DONGCHENG, 2),
                              "北疆": (BEIJIANG, 3)})
    assert order == ["北疆", "东城", "市级", "其他苏木嘎查"]


def test_among_volunteers_as_near_the_one_with_fewer_requests_in_hand_comes_first():
    assert _order(BEIJIANG, {"忙": (BEIJIANG, 3), "闲": (BEIJIANG, 0), "较闲": (BEIJIANG, 1)}) == ["闲", "较闲", "忙"]


def test_nearness_counts_before_how_busy_a_volunteer_is():
    assert _order(GACHA_ONE, {"市级空闲": (CITY, 0), "本嘎查很忙": (GACHA_ONE, 9)}) == ["本嘎查很忙", "市级空闲"]


def test_a_person_filed_at_the_city_is_near_every_volunteer_under_it():
    assert _match(GACHA_ONE, CITY).rank == _match(CITY, CITY).rank == (0, 0)


@pytest.mark.parametrize(("volunteer_path", "person_path", "reason"), [
    (GACHA_ONE, GACHA_ONE, "同一社区（嘎查），可提供陪诊，手头 0 项服务"),
    (SUMU, GACHA_ONE, "同一上级区域（邻近社区），可提供陪诊，手头 0 项服务"),
    (GACHA_TWO, GACHA_ONE, "同一上级区域（邻近社区），可提供陪诊，手头 0 项服务"),
    (DONGCHENG, BEIJIANG, "同一上级区域（邻近社区），可提供陪诊，手头 0 项服务"),
    (CITY, GACHA_ONE, "上级区域登记，可到此服务，可提供陪诊，手头 0 项服务"),
    (CITY, BEIJIANG, "上级区域登记，可到此服务，可提供陪诊，手头 0 项服务"),
    (BEIJIANG, GACHA_ONE, "其他区域，可提供陪诊，手头 0 项服务"),
])
def test_the_reason_says_in_chinese_where_the_volunteer_is_what_they_offer_and_their_load(volunteer_path,
                                                                                          person_path, reason):
    assert _match(volunteer_path, person_path).reason == reason


def test_the_reason_names_the_kind_of_help_and_the_requests_in_hand():
    candidate = _match(BEIJIANG, BEIJIANG, in_hand=2, skills=[RequestKind.MOBILITY, RequestKind.ESCORT],
                       kind=RequestKind.MOBILITY)
    assert candidate.reason == "同一社区（嘎查），可提供出行帮助，手头 2 项服务"


# ---- Star levels by total hours (星级志愿者) ---------------------------------------------------------------------

@pytest.mark.parametrize(("hours", "stars"), [
    ("0", 0), ("99.9", 0), ("100", 1), ("299.9", 1), ("300", 2), ("599.9", 2), ("600", 3), ("999.9", 3),
    ("1000", 4), ("1499.9", 4), ("1500", 5), ("8000", 5),
])
def test_a_star_is_earned_on_reaching_its_hours(hours, stars):
    assert star_level(Decimal(hours), STARS) == stars


def test_stars_follow_the_thresholds_in_force():
    lowered = [Decimal(50), Decimal(300), Decimal(600), Decimal(1000), Decimal(1500)]
    assert star_level(Decimal(60), lowered) == 1
    assert star_level(Decimal(60), STARS) == 0


# ---- How urgent a person's emergency needs are (应急需求紧急程度) -------------------------------------------------

MOST_URGENT_FIRST = ["power", "bedridden", "mobility", "vision", "mental", "hearing", "living_alone"]


def test_needs_rank_power_dependent_then_bedridden_then_mobility_then_vision_mental_hearing_and_living_alone():
    assert list(EmergencyNeed.values) == MOST_URGENT_FIRST
    ranks = [urgency([need]).rank for need in MOST_URGENT_FIRST]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


def test_one_power_dependent_need_outranks_a_bedridden_person_with_every_other_need():
    assert urgency(["power"]).rank < urgency(MOST_URGENT_FIRST[1:]).rank


def test_a_person_needing_more_comes_first_among_those_with_the_same_most_urgent_need():
    one, two, three = urgency(["mobility"]), urgency(["mobility", "living_alone"]), \
        urgency(["mobility", "hearing", "living_alone"])
    assert three.rank < two.rank < one.rank


def test_more_needs_never_outrank_a_more_urgent_one():
    assert urgency(["bedridden"]).rank < urgency(["mobility", "vision", "mental", "hearing", "living_alone"]).rank


def test_a_person_with_no_need_recorded_comes_last_with_the_words_to_say_so():
    empty = urgency([])
    assert empty.rank > urgency(["living_alone"]).rank
    assert empty.text == "未登记应急需求"


def test_needs_not_in_the_list_are_ignored_and_a_need_counts_once():
    assert urgency(["flood", "unknown"]) == urgency([])
    assert urgency(["mobility", "mobility"]) == urgency(["mobility"])


def test_the_text_names_the_needs_most_urgent_first_whatever_the_order_recorded():
    assert urgency(["living_alone", "power"]).text == "依赖电力维持的设备（呼吸机、制氧机等）；独居"


# ---- Needs to ask about on a visit (建议入户问清的应急需求) ---------------------------------------------------------

@pytest.mark.parametrize(("categories", "severe", "living_alone", "needs"), [
    ([Category.PHYSICAL], True, False, ["mobility"]),
    ([Category.PHYSICAL], False, False, []),  # a grade 3–4 physical disability: no help to evacuate by default
    ([Category.MULTIPLE], False, False, ["mobility"]),
    ([Category.VISION], False, False, ["vision"]),
    ([Category.HEARING], True, False, ["hearing"]),
    ([Category.MENTAL], False, False, ["mental"]),
    ([Category.INTELLECTUAL], False, False, ["mental"]),
    ([Category.MENTAL, Category.INTELLECTUAL], True, False, ["mental"]),
    ([Category.SPEECH], True, False, []),
    ([], False, True, ["living_alone"]),
    ([], False, False, []),
    ([Category.HEARING, Category.PHYSICAL], True, True, ["mobility", "hearing", "living_alone"]),
])
def test_the_register_suggests_the_needs_to_ask_about(categories, severe, living_alone, needs):
    assert needs_suggested(categories=categories, severe=severe, living_alone=living_alone) == needs


def test_suggested_needs_are_plain_strings_a_profile_can_store():
    suggested = needs_suggested(categories=[Category.VISION], severe=True, living_alone=True)
    assert all(type(need) is str for need in suggested)
