from django.contrib import admin
from django.http import HttpRequest

from kvinnofrid.core.models import AuditEntry, RetentionRule, RetentionRun


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ["created_at", "actor", "action", "target_repr"]
    list_filter = ["action"]
    search_fields = ["target_repr", "actor__email"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


def _national_admin(request: HttpRequest) -> bool:
    # core cannot import accounts: the user model answers for itself
    return bool(getattr(request.user, "is_national_admin", False))


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin[RetentionRule]):
    """Gallring rules: the national admin changes them (and only them); none is added or
    deleted here (the two kinds come from the migration)."""

    list_display = ["kind", "years", "active", "updated_at"]
    readonly_fields = ["kind", "created_at", "updated_at"]

    def has_view_permission(self, request: HttpRequest, obj: RetentionRule | None = None) -> bool:
        return _national_admin(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _national_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: RetentionRule | None = None) -> bool:
        return _national_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: RetentionRule | None = None) -> bool:
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin[RetentionRun]):
    """The job's log: read-only."""

    list_display = ["started_at", "dry_run", "trigger", "counts"]
    readonly_fields = [f.name for f in RetentionRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RetentionRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: RetentionRun | None = None) -> bool:
        return False
