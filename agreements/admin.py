from django.contrib import admin

from agreements.models import Agreement, Commitment, Meeting, Party


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ["organisation"]


class CommitmentInline(admin.StackedInline):
    model = Commitment
    extra = 0


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "county", "signed_on", "valid_until"]
    list_filter = ["county"]
    inlines = [PartyInline, CommitmentInline, MeetingInline]
