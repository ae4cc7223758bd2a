"""The editor's live preview of one report text (issue 15 item 1): the same renderer as the
report, POST with CSRF, only for those who may edit the report; the report editor shows the
toolbar and renders the texts as rich text."""

import pytest
from django.test import Client
from django.urls import reverse

from followup.reports import services
from tests.followup.test_report_support import build_county

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_user):
    data = build_county(actors=2, submitted=1, activities=1, goals=1)
    coordinator = make_user("coordinator", county_code="06")
    return data.report, coordinator


def preview_url(report):
    return reverse("followup:report-text-preview", args=[report.pk])


def test_preview_renders_markdown_like_the_report(client, draft):
    report, coordinator = draft
    client.force_login(coordinator)
    response = client.post(
        preview_url(report),
        {
            "field": "resources_text",
            "text": "# Rubrik\n\nTabell 1. T\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n"
            "Not[^1]\n\n[^1]: Fotnotens text\n\n<script>alert(1)</script>",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<h3>Rubrik</h3>" in html
    assert "<caption>Tabell 1. T</caption>" in html
    assert '<th scope="col">a</th>' in html
    assert 'id="fn-pv-resources-text-1"' in html
    assert "<script" not in html


def test_analysis_headings_start_at_h4(client, draft):
    report, coordinator = draft
    client.force_login(coordinator)
    response = client.post(preview_url(report), {"field": "analysis_12", "text": "# R"})
    assert "<h4>R</h4>" in response.content.decode()


def test_hostile_field_name_and_huge_text_do_not_fail(client, draft):
    report, coordinator = draft
    client.force_login(coordinator)
    response = client.post(
        preview_url(report), {"field": '"><script>', "text": "- " * 100_000 + "\x00x"}
    )
    assert response.status_code == 200
    assert "<script" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("management", 403),
        ("reporter", 403),
        ("observer", 403),
        ("other_county_coordinator", 404),
    ],
)
def test_only_those_who_may_edit_get_a_preview(client, draft, user_with_role, role, expected):
    report, _coordinator = draft
    user = user_with_role(role)
    if user is not None:
        client.force_login(user)
    response = client.post(preview_url(report), {"text": "x"})
    assert response.status_code == expected


def test_get_is_not_allowed_and_csrf_is_checked(draft):
    report, coordinator = draft
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert client.get(preview_url(report)).status_code == 405
    # a POST without the token is refused; the editor's script sends HX-Request, so the
    # refusal is a plain 403 that leaves the page (and the typed text) as it is
    refused = client.post(preview_url(report), {"text": "# x"}, headers={"HX-Request": "true"})
    assert refused.status_code == 403
    assert b"<h3>x</h3>" not in refused.content


def test_editor_shows_a_toolbar_and_a_preview_for_each_report_text(client, draft):
    report, coordinator = draft
    client.force_login(coordinator)
    html = client.get(reverse("followup:report-edit", args=[report.pk])).content.decode()
    assert html.count('role="toolbar"') == 7  # six texts and one analysis per goal
    assert f'data-preview-url="{preview_url(report)}"' in html
    assert 'data-action="footnote"' in html
    assert "js/report-editor.js" in html
    assert "<script>" not in html  # no inline scripts under the CSP


def test_saved_markdown_reaches_the_report_preview_as_rich_text(client, draft):
    report, coordinator = draft
    services.report_update(
        report_id=report.pk,
        actor=coordinator,
        expected_version=report.lock_version,
        fields={"resources_text": "Text[^1]\n\n[^1]: Notens text\n\n- ett\n- två"},
        analyses={},
        highlights={},
    )
    client.force_login(coordinator)
    html = client.get(reverse("followup:report-preview", args=[report.pk])).content.decode()
    assert "<li>ett</li>" in html
    assert 'class="endnotes"' in html
    assert '<span class="fn-body">Notens text</span>' in html


def test_editor_comes_with_the_preview_of_the_saved_text(client, draft):
    report, coordinator = draft
    services.report_update(
        report_id=report.pk,
        actor=coordinator,
        expected_version=report.lock_version,
        fields={"closing_words": "# Slutord\n\nTack[^1]\n\n[^1]: Till alla"},
        analyses={},
        highlights={},
    )
    client.force_login(coordinator)
    html = client.get(reverse("followup:report-edit", args=[report.pk])).content.decode()
    preview = html.split('id="id_closing_words-preview">', 1)[1].split("</div>\n", 1)[0]
    assert "<h3>Slutord</h3>" in preview
    assert 'id="fn-pv-closing-words-1"' in preview
