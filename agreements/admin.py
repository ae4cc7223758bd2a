from django.contrib import admin

from agreements.models import Agreement, Commitment, Meeting, Party


class PartyInline(admin.TabularInline[Party, Agreement]):
    model = Party
    extra = 0
    autocomplete_fields = ["organisation"]


class CommitmentInline(admin.StackedInline[Commitment, Agreement]):
    model = Commitment
    extra = 0


class MeetingInline(admin.TabularInline[Meeting, Agreement]):
    model = Meeting
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin[Agreement]):
    list_display = ["title", "county", "signed_on", "valid_until"]
    list_filter = ["county"]
    inlines = [PartyInline, CommitmentInline, MeetingInline]
