"""The pages of an aggregate's ordered child rows, written once (the counterpart of
:mod:`kvinnofrid.core.children`, which writes them).

A plan's goals, delmål, activities and indicators and an agreement's parties, målområden and
meetings each have a create, an edit, a delete (with confirmation) and a move page that work the
same way: find the aggregate in the viewer's scope (another county is a 404), check the edit
right (403), validate the form, call the app's service, and on a stale version show the
conflict page with what the viewer typed. An app describes each kind of child once, as a
:class:`ChildPage`, and its aggregate once, as a subclass of :class:`ChildPages`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from kvinnofrid.core.conflicts import conflict_response
from kvinnofrid.core.forms import ConfirmForm, MoveForm
from kvinnofrid.core.locking import StaleObjectError


@dataclass(frozen=True)
class ChildPage:
    """One kind of child row as its pages see it.

    The services take keyword arguments: ``create(<parent_arg>=, data=, actor=)`` (plus
    ``expected_version=`` when the aggregate's version guards its children; returns the new
    row), ``update(<id_arg>=, expected_version=, data=, actor=)``, ``delete(<id_arg>=,
    expected_version=, actor=)`` and ``move(<id_arg>=, direction=, actor=)``; ``move`` is None
    for rows kept in date order. ``parent_arg`` names the aggregate's id, or the parent row's
    (``parent_model``, chosen with ``?under=``)."""

    slug: str
    model: type[models.Model]
    form: Callable[..., forms.ModelForm[Any]]
    label: StrOrPromise
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    move: Callable[..., Any] | None
    id_arg: str
    parent_arg: str
    parent_model: type[models.Model] | None = None
    section: str = ""  # the anchor of the kind's section on the aggregate's page


class ChildPages[A: models.Model]:
    """Create, edit, delete and move pages for the child rows of one kind of aggregate ``A``.

    Subclasses set the class attributes and implement the hooks; views call the four page
    methods with the child kind's slug (an unknown slug is a 404)."""

    kinds: dict[str, ChildPage]
    error: type[Exception]  # the app's refusal, with a ``message``
    # True: the aggregate's version guards its children (the forms carry it, creating checks it)
    aggregate_guards = False
    aggregate_name: str  # the aggregate's name in the templates' context
    form_template: str
    delete_template: str
    stale_delete_message: StrOrPromise

    # --- hooks ------------------------------------------------------------------------------
    def aggregate(self, request: HttpRequest, county_code: str, pk: int) -> A | HttpResponse:
        """The aggregate in the viewer's scope that they may edit (else 404/403), or a
        response sending them elsewhere (e.g. an adopted plan, which is read-only)."""
        raise NotImplementedError

    def child(self, kind: ChildPage, aggregate: A, child_pk: int) -> Any:
        """The child row ``child_pk`` of ``aggregate``; Http404 if it belongs to another."""
        raise NotImplementedError

    def parent(self, kind: ChildPage, aggregate: A, request: HttpRequest) -> Any:
        """The row a new child goes under (``kind.parent_model``), or None."""
        return None

    def form_kwargs(self, kind: ChildPage, aggregate: A) -> dict[str, Any]:
        return {}

    def create_initial(self, kind: ChildPage, aggregate: A) -> dict[str, Any]:
        return {}

    def version(self, aggregate: A, obj: Any) -> int | None:
        """The version a form guards: the aggregate's, or None when the row has its own
        (a model form's ``lock_version`` field then starts from the row)."""
        return aggregate.lock_version if self.aggregate_guards else None  # type: ignore[attr-defined]

    def back_url(self, aggregate: A, kind: ChildPage, obj: Any = None) -> str:
        """Where a saved or cancelled form leads (``obj``: the row saved, when there is one)."""
        raise NotImplementedError

    def conflict_current(self, kind: ChildPage, aggregate: A, obj: Any, exc: Any) -> Any:
        """The row as it is now, to show beside what the viewer typed."""
        return exc.current

    # --- pages ------------------------------------------------------------------------------
    def _kind(self, slug: str) -> ChildPage:
        try:
            return self.kinds[slug]
        except KeyError:
            raise Http404 from None

    def _context(self, aggregate: A, **extra: Any) -> dict[str, Any]:
        return {self.aggregate_name: aggregate, "county": aggregate.county, **extra}  # type: ignore[attr-defined]

    def _initial(self, aggregate: A, obj: Any) -> dict[str, Any]:
        version = self.version(aggregate, obj)
        return {} if version is None else {"lock_version": version}

    def _conflict(
        self,
        request: HttpRequest,
        kind: ChildPage,
        aggregate: A,
        obj: Any,
        exc: StaleObjectError[Any],
    ) -> HttpResponse:
        current = self.conflict_current(kind, aggregate, obj, exc)
        # the aggregate's version as saved now, when it guards the form (else the row's own)
        version = self.version(exc.current, obj)
        return conflict_response(
            request,
            form_class=kind.form,
            form_kwargs=self.form_kwargs(kind, aggregate),
            current=current,
            title=str(obj if obj is not None else aggregate),
            back_url=self.back_url(aggregate, kind, obj),
            **({} if version is None else {"lock_version": version}),
        )

    def create(self, request: HttpRequest, county_code: str, pk: int, slug: str) -> HttpResponse:
        kind = self._kind(slug)
        aggregate = self.aggregate(request, county_code, pk)
        if isinstance(aggregate, HttpResponse):
            return aggregate
        parent = self.parent(kind, aggregate, request)
        initial = self._initial(aggregate, None) | self.create_initial(kind, aggregate)
        form = kind.form(request.POST or None, initial=initial, **self.form_kwargs(kind, aggregate))
        if request.method == "POST" and form.is_valid():
            guard = {"expected_version": form.cleaned_data.get("lock_version")}
            try:
                obj = kind.create(
                    **{kind.parent_arg: (parent or aggregate).pk},
                    **(guard if self.aggregate_guards else {}),
                    data=_data(form),
                    actor=request.user,
                )
            except StaleObjectError as exc:
                return self._conflict(request, kind, aggregate, None, exc)
            except self.error as exc:
                form.add_error(None, exc.message)  # type: ignore[attr-defined]
            else:
                messages.success(request, _("Sparat."))
                return redirect(self.back_url(aggregate, kind, obj))
        heading = _("Lägg till %(kind)s") % {"kind": kind.label}
        context = self._context(
            aggregate,
            form=form,
            kind=kind,
            parent=parent,
            heading=heading,
            back_url=self.back_url(aggregate, kind),
        )
        return render(request, self.form_template, context)

    def edit(
        self, request: HttpRequest, county_code: str, pk: int, slug: str, child_pk: int
    ) -> HttpResponse:
        kind = self._kind(slug)
        aggregate = self.aggregate(request, county_code, pk)
        if isinstance(aggregate, HttpResponse):
            return aggregate
        obj = self.child(kind, aggregate, child_pk)
        form = kind.form(
            request.POST or None,
            instance=obj,
            initial=self._initial(aggregate, obj),
            **self.form_kwargs(kind, aggregate),
        )
        back_url = self.back_url(aggregate, kind, obj)
        if request.method == "POST" and form.is_valid():
            try:
                kind.update(
                    **{kind.id_arg: obj.pk},
                    expected_version=form.cleaned_data.get("lock_version"),
                    data=_data(form),
                    actor=request.user,
                )
            except StaleObjectError as exc:
                return self._conflict(request, kind, aggregate, obj, exc)
            except self.error as exc:
                form.add_error(None, exc.message)  # type: ignore[attr-defined]
            else:
                messages.success(request, _("Sparat."))
                return redirect(back_url)
        heading = _("Redigera %(kind)s") % {"kind": kind.label}
        context = self._context(
            aggregate, form=form, kind=kind, object=obj, heading=heading, back_url=back_url
        )
        return render(request, self.form_template, context)

    def delete(
        self, request: HttpRequest, county_code: str, pk: int, slug: str, child_pk: int
    ) -> HttpResponse:
        """Ask for confirmation (GET), then delete the row and what lies under it (POST)."""
        kind = self._kind(slug)
        aggregate = self.aggregate(request, county_code, pk)
        if isinstance(aggregate, HttpResponse):
            return aggregate
        obj = self.child(kind, aggregate, child_pk)
        version = self.version(aggregate, obj)
        form = ConfirmForm(
            request.POST or None,
            initial={"lock_version": obj.lock_version if version is None else version},
        )
        if request.method == "POST" and form.is_valid():
            try:
                kind.delete(
                    **{kind.id_arg: obj.pk},
                    expected_version=form.cleaned_data.get("lock_version"),
                    actor=request.user,
                )
            except StaleObjectError:
                messages.error(request, str(self.stale_delete_message))
                return redirect(request.path)
            except self.error as exc:
                form.add_error(None, exc.message)  # type: ignore[attr-defined]
            else:
                messages.success(request, _("Borttaget."))
                return redirect(self.back_url(aggregate, kind))
        context = self._context(
            aggregate,
            form=form,
            kind=kind,
            object=obj,
            back_url=self.back_url(aggregate, kind, obj),
        )
        return render(request, self.delete_template, context)

    def move(
        self, request: HttpRequest, county_code: str, pk: int, slug: str, child_pk: int
    ) -> HttpResponse:
        """Move a row one step up or down (a POST button per direction; keyboard usable)."""
        kind = self._kind(slug)
        if kind.move is None:
            raise Http404
        aggregate = self.aggregate(request, county_code, pk)
        if isinstance(aggregate, HttpResponse):
            return aggregate
        obj = self.child(kind, aggregate, child_pk)
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Okänd riktning."))
        else:
            try:
                kind.move(
                    **{kind.id_arg: obj.pk},
                    direction=form.cleaned_data["direction"],
                    actor=request.user,
                )
            except self.error as exc:
                messages.error(request, exc.message)  # type: ignore[attr-defined]
        return redirect(self.back_url(aggregate, kind, obj))


def _data(form: forms.BaseForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
