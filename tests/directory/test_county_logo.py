"""The county logo (issue 15 item 4): SVG or PNG, checked before it is stored, uploaded by the
county's coordinator, printed on the lägesrapport's cover through a data: URI."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kvinnofrid.core.models import AuditEntry
from kvinnofrid.directory import services
from kvinnofrid.directory.logo import validate_logo
from tests.factories import county

GOOD_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">'
    b'<defs><linearGradient id="g"><stop offset="0" stop-color="#3b1f5c"/></linearGradient></defs>'
    b'<rect width="120" height="40" fill="url(#g)"/><text x="6" y="26">LST</text></svg>'
)
SCRIPT_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
)
ONLOAD_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
EXTERNAL_HREF_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    b'<image xlink:href="http://169.254.169.254/latest/meta-data/" width="10" height="10"/>'
    b"</svg>"
)
FILE_HREF_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'
STYLE_URL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: url(http://x.example/a) }'
    b"</style><rect/></svg>"
)
FOREIGN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/'
    b'xhtml">x</div></foreignObject></svg>'
)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>"""
NOT_SVG = b'<html xmlns="http://www.w3.org/1999/xhtml"><body>hej</body></html>'


def png_bytes(width: int = 60, height: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (59, 31, 92)).save(out, format="PNG")
    return out.getvalue()


def test_a_plain_svg_and_a_real_png_are_accepted():
    assert validate_logo(GOOD_SVG).extension == "svg"
    logo = validate_logo(png_bytes())
    assert logo.extension == "png"
    assert logo.data_uri().startswith("data:image/png;base64,")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (SCRIPT_SVG, "script"),
        (ONLOAD_SVG, "händelsehanterare"),
        (EXTERNAL_HREF_SVG, "annan fil eller adress"),
        (FILE_HREF_SVG, "annan fil eller adress"),
        (STYLE_URL_SVG, "annan fil eller adress"),
        (FOREIGN_SVG, "foreignObject"),
        (BILLION_LAUGHS, "dokumenttypsdeklaration"),
        (EXTERNAL_ENTITY, "dokumenttypsdeklaration"),
        (NOT_SVG, "ingen SVG-bild"),
        (b"GIF89a not a logo", "varken en PNG-bild eller en giltig SVG-fil"),
    ],
)
def test_hostile_or_foreign_files_are_refused_in_swedish(content, words):
    with pytest.raises(ValidationError) as exc:
        validate_logo(content)
    assert words in " ".join(exc.value.messages)


def test_a_fake_or_truncated_png_is_refused():
    fake = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200  # the signature, then nothing a PNG holds
    with pytest.raises(ValidationError) as exc:
        validate_logo(fake)
    assert "ingen giltig PNG-bild" in exc.value.messages[0]
    truncated = png_bytes()[:40]
    with pytest.raises(ValidationError):
        validate_logo(truncated)


def test_a_huge_png_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_logo(png_bytes(4500, 10))
    assert "4000 × 4000" in exc.value.messages[0]


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator", county_code="06")


@pytest.mark.django_db
def test_coordinator_uploads_replaces_and_removes_the_logo(client, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(coordinator)
    url = reverse("actors:county-logo", args=["06"])
    assert client.get(url).status_code == 200
    # a hostile file: a Swedish message, nothing stored
    response = client.post(url, {"file": SimpleUploadedFile("logo.svg", SCRIPT_SVG)})
    assert response.status_code == 400
    assert "SVG-filen kan inte användas som logotyp" in response.content.decode()
    assert not county("06").logo
    # a good one is stored and shown
    response = client.post(url, {"file": SimpleUploadedFile("x.svg", GOOD_SVG)})
    assert response.status_code == 302
    stored = county("06").logo
    assert stored.name.startswith("county-logos/06/")
    assert stored.name.endswith(".svg")
    assert "data:image/svg+xml;base64," in client.get(url).content.decode()
    # replaced by a PNG
    client.post(url, {"file": SimpleUploadedFile("x.png", png_bytes())})
    assert county("06").logo.name.endswith(".png")
    assert AuditEntry.objects.filter(action="directory.county.logo_set").count() == 2
    client.post(url, {"remove": "1"})
    assert not county("06").logo
    assert AuditEntry.objects.filter(action="directory.county.logo_removed").exists()


@pytest.mark.django_db
def test_other_counties_get_404_and_other_roles_403(client, make_user):
    url = reverse("actors:county-logo", args=["06"])
    client.force_login(make_user("coordinator", county_code="07"))
    assert client.get(url).status_code == 404
    assert client.post(url, {"file": SimpleUploadedFile("x.svg", GOOD_SVG)}).status_code == 404
    reporter = make_user("reporter", county_code="06")
    client.force_login(reporter)
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.county_logo_set(actor=reporter, county_id=county("06").pk, content=GOOD_SVG)
    assert not county("06").logo


@pytest.mark.django_db
def test_a_stored_logo_that_is_gone_shows_as_none(client, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    services.county_logo_set(actor=coordinator, county_id=county("06").pk, content=GOOD_SVG)
    stored = county("06").logo
    stored.storage.delete(stored.name)
    client.force_login(coordinator)
    response = client.get(reverse("actors:county-logo", args=["06"]))
    assert response.status_code == 200
    assert "Länet har ingen logotyp ännu." in response.content.decode()
