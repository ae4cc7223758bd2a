from django.contrib import admin

from kvinnofrid.directory.models import County, Municipality, Organisation


@admin.register(County)
class CountyAdmin(admin.ModelAdmin[County]):
    list_display = ["code", "letter", "name", "board_name"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = [
        "name",
        "kind",
        "county",
        "municipality_code",
        "organisation_number",
        "active_until",
    ]
    list_filter = ["kind", "county"]
    search_fields = ["name", "municipality_code", "organisation_number"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    search_fields = ["code", "name"]
