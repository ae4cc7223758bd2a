"""TOTP after the password for coordinators, national admins and superusers."""

import time

import pyotp
import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kvinnofrid.accounts.models import Role, TotpDevice
from kvinnofrid.accounts.two_factor import verify_code
from kvinnofrid.core.models import AuditEntry

LOGIN = "/konto/logga-in/"
TWO_FACTOR = "/konto/tvastegsverifiering/"


@pytest.fixture(autouse=True)
def _otp_on(settings):
    settings.OTP_REQUIRED = True
    settings.AXES_ENABLED = False


def password_login(client, user):
    return client.post(LOGIN, {"username": user.email, "password": "losenord-123"})


def test_coordinator_sets_up_totp_after_password_then_reaches_pages(client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    password_login(client, coordinator)
    blocked = client.get("/lan/06/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(TWO_FACTOR)

    page = client.get(blocked["Location"]).content.decode()
    device = TotpDevice.objects.get(user=coordinator)
    assert device.confirmed_at is None
    grouped = " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4))
    assert grouped in page  # the secret as text, for typing in
    assert "otpauth://totp/Kvinnofrid:" in page
    assert 'src="data:image/svg+xml' in page

    wrong = client.post(TWO_FACTOR, {"code": "000000", "next": "/lan/06/"})
    assert "Koden stämmer inte" in wrong.content.decode()
    assert client.get("/lan/06/").status_code == 302

    code = pyotp.TOTP(device.secret).now()
    done = client.post(TWO_FACTOR, {"code": code, "next": "/lan/06/"})
    assert done["Location"] == "/lan/06/"
    assert client.get("/lan/06/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed_at is not None
    assert AuditEntry.objects.filter(action="accounts.totp_confirmed").count() == 1


def test_next_login_asks_for_the_code_without_setup(client, make_user):
    admin = make_user(Role.NATIONAL_ADMIN)
    TotpDevice.objects.create(
        user=admin, secret=pyotp.random_base32(32), confirmed_at="2026-01-01T00:00Z"
    )
    password_login(client, admin)
    page = client.get(TWO_FACTOR).content.decode()
    assert "otpauth://" not in page
    assert "Skriv den sexsiffriga kod" in page


@pytest.mark.parametrize("role", [Role.REPORTER, Role.MANAGEMENT])
def test_reporters_and_management_are_not_asked(client, make_user, role):
    user = make_user(role)
    password_login(client, user)
    assert client.session.get(SESSION_KEY) == str(user.pk)
    response = client.get(reverse("home"))
    assert not response.get("Location", "").startswith(TWO_FACTOR)
    assert not TotpDevice.objects.exists()


def test_superuser_is_asked(client, django_user_model):
    root = django_user_model.objects.create_superuser("root@example.se", "losenord-123")
    password_login(client, root)
    assert client.get("/admin/")["Location"].startswith(TWO_FACTOR)


def test_otp_required_false_turns_it_off(client, make_user, settings):
    settings.OTP_REQUIRED = False
    coordinator = make_user(Role.COORDINATOR)
    password_login(client, coordinator)
    assert client.get("/lan/06/").status_code == 200


def test_a_code_works_once_and_drift_of_one_step_is_accepted(make_user):
    user = make_user(Role.COORDINATOR)
    device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32(32))
    totp = pyotp.TOTP(device.secret)
    now = time.time()
    assert not verify_code(user, totp.at(now - 120), at=now)
    assert verify_code(user, totp.at(now - 30), at=now)
    assert verify_code(user, totp.at(now), at=now)
    assert not verify_code(user, totp.at(now), at=now)  # replay
    assert not verify_code(user, totp.at(now - 30), at=now)  # older than the last used


def test_five_wrong_codes_log_out(client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    password_login(client, coordinator)
    statuses = [client.post(TWO_FACTOR, {"code": "000000"}) for _ in range(5)]
    assert [r.status_code for r in statuses] == [200, 200, 200, 200, 302]
    response = statuses[-1]
    assert response["Location"].startswith(reverse("accounts:login"))
    assert SESSION_KEY not in client.session


def test_badly_typed_code_gets_a_swedish_message(client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    password_login(client, coordinator)
    page = client.post(TWO_FACTOR, {"code": "12 34"}).content.decode()
    assert "Skriv de sex siffrorna" in page


def test_national_admin_resets_a_lost_device(client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    TotpDevice.objects.create(user=coordinator, secret=pyotp.random_base32(32))
    admin = make_user(Role.NATIONAL_ADMIN)
    client.force_login(admin)
    url = reverse("accounts:two_factor_reset", args=[coordinator.pk])
    assert "Återställ tvåstegsverifiering" in client.get(url).content.decode()
    client.post(url)
    assert not TotpDevice.objects.filter(user=coordinator).exists()
    assert AuditEntry.objects.filter(action="accounts.totp_reset", actor=admin).exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.REPORTER])
def test_only_the_national_admin_may_reset(client, make_user, role):
    target = make_user(Role.COORDINATOR)
    TotpDevice.objects.create(user=target, secret=pyotp.random_base32(32))
    client.force_login(make_user(role))
    url = reverse("accounts:two_factor_reset", args=[target.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert TotpDevice.objects.filter(user=target).exists()


@given(
    code=st.one_of(st.text(max_size=200), st.sampled_from(["\x00", "١٢٣٤٥٦", "12345６", "9" * 40]))
)
@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_hostile_codes_never_crash_or_let_in(client, make_user, code):
    coordinator = make_user(Role.COORDINATOR)
    password_login(client, coordinator)
    response = client.post(TWO_FACTOR, {"code": code})
    assert response.status_code in {200, 302}
    assert client.get("/lan/06/").status_code == 302  # still owes the code
