import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans import interchange
from actionplans.models import ActionPlan
from tests.factories import ActionPlanFactory, GoalFactory, SubGoalFactory, national_goal

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    goal = GoalFactory(plan=ActionPlanFactory(title="Exportplan"), number=1)
    goal.national_goals.set([national_goal(2)])
    SubGoalFactory(goal=goal, code="1:1", text="Delmål ett")
    return goal.plan


def test_download_json_and_xlsx(client, make_user, plan):
    plan.status = plan.Status.ADOPTED  # a draft is 404 for management (issue 12 item 11)
    plan.save(update_fields=["status"])
    client.force_login(make_user("management"))
    response = client.get(reverse("actionplans:plan-export", args=["06", plan.pk, "json"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["format"] == "kvinnofrid-plan/1"
    assert data["goals"][0]["sub_goals"][0]["code"] == "1:1"
    response = client.get(reverse("actionplans:plan-export", args=["06", plan.pk, "xlsx"]))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert (
        client.get(reverse("actionplans:plan-export", args=["06", plan.pk, "pdf"])).status_code
        == 404
    )


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_upload_preview_then_create_draft(client, make_user, plan, fmt):
    # given an exported file
    data = interchange.plan_export(plan=plan)
    content = (
        interchange.plan_to_json(data).encode() if fmt == "json" else interchange.plan_to_xlsx(data)
    )
    client.force_login(make_user("coordinator"))
    url = reverse("actionplans:plan-import", args=["06"])
    # when uploaded, a preview is shown and nothing is written yet
    response = client.post(url, {"file": SimpleUploadedFile(f"plan.{fmt}", content)})
    assert response.status_code == 200
    assert "Förhandsgranskning" in response.content.decode()
    assert ActionPlan.objects.count() == 1
    # then confirming creates a new draft
    response = client.post(url, {"step": "create"})
    assert response.status_code == 302
    new = ActionPlan.objects.exclude(pk=plan.pk).get()
    assert new.status == ActionPlan.Status.DRAFT
    assert new.goals.get().sub_goals.get().code == "1:1"


def test_bad_file_is_refused_with_swedish_message(client, make_user):
    client.force_login(make_user("coordinator"))
    url = reverse("actionplans:plan-import", args=["06"])
    bad = json.dumps({"format": "kvinnofrid-plan/9", "title": "x"}).encode()
    response = client.post(url, {"file": SimpleUploadedFile("plan.json", bad)})
    assert response.status_code == 200
    assert "format" in response.content.decode()
    assert "Förhandsgranskning" not in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("plan.txt", b"hej")})
    assert ".json" in response.content.decode()
    assert client.post(url, {"step": "create"}).status_code == 302
    assert not ActionPlan.objects.exists()


def test_import_refused_for_reporter(client, make_user):
    client.force_login(make_user("reporter"))
    assert client.get(reverse("actionplans:plan-import", args=["06"])).status_code == 403
