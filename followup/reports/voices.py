"""The actors' voices in the report editor (issue 15 item 3): beside each goal's analysis field,
the submitted answers to each of the round's text questions (what worked, challenges, support
wanted, own plan), from the actors that reported activities under that goal, with their names.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from followup.models import Answer, Question, ReportedActivity, StatusReport
from followup.selectors import SUBMITTED_STATUSES


@dataclass(frozen=True)
class Voice:
    organisation: str
    text: str
    choice: str

    @property
    def quote(self) -> str:
        """What "Infoga i texten" appends to the analysis: the answer and who said it."""
        text = " ".join(self.text.split())
        return f"”{text}” ({self.organisation})"


@dataclass
class QuestionVoices:
    key: str
    text: str
    voices: list[Voice] = field(default_factory=list)


def editor_voices(*, report: StatusReport) -> dict[int, list[QuestionVoices]]:
    """Goal id → the round's questions (in order) with the submitted answers of the actors that
    reported activities under the goal. Questions nobody answered are left out. Three queries,
    whatever the size of the county."""
    questions = list(
        Question.objects.filter(round_id=report.round_id)
        .exclude(kind=Question.Kind.NUMBER)
        .order_by("order", "id")
        .only("key", "text")
    )
    submissions_of_goal: dict[int, set[int]] = defaultdict(set)
    for submission_id, goal_id in ReportedActivity.objects.filter(
        submission__round_id=report.round_id,
        submission__status__in=SUBMITTED_STATUSES,
        sub_goals__isnull=False,
    ).values_list("submission_id", "sub_goals__goal_id"):
        submissions_of_goal[goal_id].add(submission_id)
    answers: dict[int, list[tuple[int, Voice]]] = defaultdict(list)
    for answer in (
        Answer.objects.filter(
            question__round_id=report.round_id, submission__status__in=SUBMITTED_STATUSES
        )
        .select_related("submission__organisation")
        .only("question_id", "submission_id", "text", "choice", "submission__organisation__name")
        .order_by("submission__organisation__name", "id")
    ):
        if answer.text.strip():
            voice = Voice(
                organisation=answer.submission.organisation.name,
                text=answer.text.strip(),
                choice=str(answer.get_choice_display()) if answer.choice else "",
            )
            answers[answer.question_id].append((answer.submission_id, voice))
    result: dict[int, list[QuestionVoices]] = {}
    for goal_id, submission_ids in submissions_of_goal.items():
        blocks = []
        for question in questions:
            voices = [v for sid, v in answers.get(question.pk, []) if sid in submission_ids]
            if voices:
                blocks.append(QuestionVoices(key=question.key, text=question.text, voices=voices))
        result[goal_id] = blocks
    return result
