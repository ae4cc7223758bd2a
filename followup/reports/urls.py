"""Report URLs; included into the ``followup`` namespace by followup/urls.py."""

urlpatterns: list = []
