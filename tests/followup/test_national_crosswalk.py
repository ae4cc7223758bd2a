"""Issue 14: activities by national goal are compared across a change of frame through the
crosswalk (the strategy 2017–2026 → the action programme 2024–2026)."""

import pytest

from actionplans.models import GoalCrosswalk, NationalGoal, NationalStrategy
from actionplans.strategies import STRATEGY_2017_TITLE
from followup.national.crosswalk import national_goal_keys, reference_strategy_id

pytestmark = pytest.mark.django_db


def _frames() -> tuple[NationalStrategy, NationalStrategy]:
    strategy = NationalStrategy.objects.get(name=STRATEGY_2017_TITLE)
    programme = NationalStrategy.objects.exclude(pk=strategy.pk).get(valid_from__year=2024)
    return strategy, programme


def test_the_strategy_is_the_reference_while_it_is_in_force():
    strategy, programme = _frames()
    assert reference_strategy_id(2022) == strategy.pk
    assert reference_strategy_id(2025) == strategy.pk  # both in force: the strategy


def test_goals_of_another_frame_count_under_the_reference_goals_they_map_to():
    strategy, programme = _frames()
    crosswalk = list(
        GoalCrosswalk.objects.filter(from_goal__strategy=strategy, to_goal__strategy=programme)
    )
    assert crosswalk  # loaded with the frames
    link = crosswalk[0]
    own = NationalGoal.objects.get(strategy=strategy, number=link.from_goal.number)
    keys = national_goal_keys(goal_ids={link.to_goal_id, own.pk}, reference=strategy.pk)
    # a programme goal counts under the strategy goal(s) mapped to it ...
    assert str(link.from_goal.number) in keys[link.to_goal_id]
    # ... a strategy goal under its own number
    assert keys[own.pk] == [str(own.number)]
    # and the other way round, with the programme as the reference
    back = national_goal_keys(goal_ids={own.pk}, reference=programme.pk)
    expected = sorted(
        {str(c.to_goal.number) for c in crosswalk if c.from_goal_id == own.pk}, key=int
    )
    assert back[own.pk] == expected


def test_without_a_reference_each_goal_keeps_its_number():
    strategy, _programme = _frames()
    goal = NationalGoal.objects.get(strategy=strategy, number=3)
    assert national_goal_keys(goal_ids={goal.pk}) == {goal.pk: ["3"]}
