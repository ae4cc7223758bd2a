"""How the follow-up's audit keys read (see ``kvinnofrid.core.audit_catalogue``): rounds,
yttranden and their activities, reminders, the diarium, lägesrapporter and återrapportering."""

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from actionplans.models import Goal, Indicator
from followup.models import FollowUpRound, Question, ReportedActivity, StatusReport, Submission
from followup.national.models import ReportBack
from followup.registry import Registry
from kvinnofrid.core.audit_catalogue import register, register_labeller

SUBMISSION = (
    ("submission.created", _("skapade yttrandet och bjöd in aktören")),
    ("submission.saved", _("sparade yttrandet")),
    ("submission.saved_on_behalf", _("sparade yttrandet för aktörens räkning")),
    ("submission.copied_from_last_year", _("hämtade in fjolårets svar i yttrandet")),
    ("submission.submitted", _("skickade in yttrandet")),
    ("submission.returned", _("skickade tillbaka yttrandet för komplettering")),
    ("submission.accepted", _("godkände yttrandet")),
    ("submission.reopened", _("öppnade yttrandet igen")),
    ("submission.deadline_extended", _("ändrade svarstiden för yttrandet")),
    ("submission.registered", _("diarieförde yttrandet")),
)
ROUND = (
    ("round.created", _("skapade uppföljningsomgången")),
    ("round.updated", _("ändrade uppföljningsomgången")),
    ("round.opened", _("öppnade uppföljningsomgången")),
    ("round.reopened", _("öppnade uppföljningsomgången igen")),
    ("round.closed", _("stängde uppföljningsomgången")),
    ("round.reported", _("markerade uppföljningsomgången som rapporterad")),
    ("round.summary_sent", _("skickade den dagliga sammanfattningen av omgången")),
)
REPORT = (
    ("report.created", _("skapade lägesrapporten")),
    ("report.updated", _("ändrade lägesrapporten")),
    ("report.build_requested", _("begärde en PDF av lägesrapporten")),
    ("report.finalised", _("fastställde lägesrapporten")),
    ("report.registered", _("diarieförde lägesrapporten")),
)


def register_actions() -> None:
    labels = {"invited": _("inbjudna aktörer"), "recipients": _("antal mottagare")}
    for key, phrase in SUBMISSION:
        register(f"followup.{key}", phrase, model=Submission)
    for key, phrase in ROUND:
        register(f"followup.{key}", phrase, model=FollowUpRound, labels=labels)
    for key, phrase in REPORT:
        register(
            f"followup.{key}",
            phrase,
            model=StatusReport,
            labels={"highlights": _("markerade aktiviteter")},
        )
    register("followup.question.saved", _("sparade frågan ”%(object)s”"), model=Question)
    register(
        "followup.activity.saved",
        _("sparade aktiviteten ”%(object)s” i yttrandet"),
        model=ReportedActivity,
    )
    register(
        "followup.activity.deleted",
        _("tog bort aktiviteten ”%(object)s” ur yttrandet"),
        model=ReportedActivity,
    )
    register(
        "followup.reminder.sent",
        _("skickade en påminnelse om yttrandet"),
        labels={"kind": _("slag"), "recipients": _("antal mottagare")},
    )
    register(
        "followup.reminder.escalated",
        _("skickade en eskalering om yttrandet"),
        labels={"kind": _("slag"), "recipients": _("antal mottagare")},
    )
    register("followup.registry.updated", _("ändrade diarieinställningarna"), model=Registry)
    register("followup.report_back.saved", _("sparade återrapporteringen"), model=ReportBack)
    register(
        "followup.report_back.finalised", _("fastställde återrapporteringen"), model=ReportBack
    )
    register(
        "followup.retention.dry_run",
        _("provkörde gallringen"),
        labels={"removed": _("utkast som skulle tömmas"), "review": _("yttranden att granska")},
    )
    register(
        "followup.retention.run",
        _("körde gallringen"),
        labels={"removed": _("tömda utkast"), "review": _("yttranden att granska")},
    )
    register(
        "followup.retention.draft_emptied",
        _("gallrade yttrandet (aldrig inskickat): svaren togs bort"),
        model=Submission,
        labels={
            "answers": _("svar"),
            "indicator_answers": _("indikatorvärden"),
            "activities": _("aktiviteter"),
        },
    )
    register_labeller(label_dynamic_keys)


def _ids(keys: set[str], prefix: str) -> dict[int, str]:
    found = {}
    for key in keys:
        if key.startswith(prefix) and key[len(prefix) :].isdigit():
            found[int(key[len(prefix) :])] = key
    return found


def label_dynamic_keys(keys: set[str]) -> dict[str, str]:
    """Answers ("question:12"), indicator values ("indicator:3"), a report's analyses per goal
    ("analysis:5") and återrapportering texts ("text_…") named after their question, indicator
    or goal (one query each)."""
    labels: dict[str, str] = {}
    questions = _ids(keys, "question:")
    for question in Question.objects.filter(pk__in=questions):
        labels[questions[question.pk]] = _g("Svar på frågan ”%(q)s”") % {"q": question}
    for key in questions.values():
        labels.setdefault(key, _g("Svar på en fråga"))
    indicators = _ids(keys, "indicator:")
    for indicator in Indicator.objects.filter(pk__in=indicators):
        labels[indicators[indicator.pk]] = _g("Indikatorn ”%(i)s”") % {"i": indicator.name}
    for key in indicators.values():
        labels.setdefault(key, _g("Indikator"))
    goals = _ids(keys, "analysis:")
    for goal in Goal.objects.filter(pk__in=goals):
        labels[goals[goal.pk]] = _g("Analys av målet ”%(g)s”") % {"g": goal.title}
    for key in goals.values():
        labels.setdefault(key, _g("Analys av ett mål"))
    for key in keys:
        if key.startswith("text_"):
            labels[key] = _g("Text om målsättning %(k)s") % {"k": key[len("text_") :]}
    return labels
