"""A URLconf with one login-required form page, for the typed-text tests."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_POST

from kvinnofrid.urls import urlpatterns as project_urlpatterns

SAVED: list[dict] = []

PAGE = engines["django"].from_string(
    """{% extends "base.html" %}{% block content %}
<h1>Testformulär</h1>
<form method="post" action="">{% csrf_token %}
  <input type="hidden" name="lock_version" value="{{ lock_version }}">
  <label for="id_title">Rubrik</label><input id="id_title" name="title" type="text" value="">
  <label for="id_body">Text</label><textarea id="id_body" name="body"></textarea>
  <label for="id_kind">Typ</label>
  <select id="id_kind" name="kind"><option value="a">A</option><option value="b">B</option></select>
  <input id="id_done" name="done" type="checkbox" value="1"><label for="id_done">Klar</label>
  <button type="submit">Spara</button>
</form>
<form method="post" action="/test-form/submit/">{% csrf_token %}
  <button type="submit">Skicka in</button>
</form>
{% endblock %}"""
)


class SampleForm(forms.Form):
    title = forms.CharField()
    body = forms.CharField(required=False)


@login_required
def form_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SampleForm(request.POST)
        if form.is_valid():
            SAVED.append(form.cleaned_data)
            return redirect("home")
    return HttpResponse(PAGE.render({"lock_version": 3}, request))


@login_required
@require_POST
def submit_action(request: HttpRequest) -> HttpResponse:
    SAVED.append({"submitted": True})
    return redirect("home")


urlpatterns = [
    path("test-form/", form_page, name="test-form"),
    path("test-form/submit/", submit_action, name="test-form-submit"),
    *project_urlpatterns,
]
