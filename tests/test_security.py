"""Security headers, error pages, sign-in throttling and deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from .factories import client_for, make_user

ROOT = Path(__file__).resolve().parent.parent


def test_pages_carry_a_strict_content_security_policy_and_security_headers(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client, seeded):
    article = next(iter(seeded.values()))
    for url in ("/", article.get_absolute_url(), "/accounts/login/", "/accounts/signup/"):
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            opening = chunk.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, (url, opening)
        assert " hx-on" not in html and "javascript:" not in html


def test_unknown_pages_get_a_friendly_404_and_the_api_gets_json(client, db):
    page = client.get("/no/such/page/")
    assert page.status_code == 404 and "Nothing here" in page.content.decode()
    api = client.get("/api/annotations/not-a-number/")
    assert api.status_code == 404 and api.json() == {"error": "Not found."}


def test_a_form_over_the_upload_limit_gets_a_friendly_413_before_any_view(db, settings):
    # A browser's form meets the CSRF check first, which reads the body before any view can.
    client = client_for(make_user("teacher", is_staff=True), enforce_csrf_checks=True)
    client.get("/articles/add/")  # the CSRF cookie, as a browser would hold it
    response = client.post("/articles/add/", {"text": "word " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 4)})
    assert response.status_code == 413
    page = response.content.decode()
    assert "over the 2.0\xa0MB a request can carry; nothing was saved" in page and "upload it rather" in page


def test_an_unreadable_request_gets_a_friendly_400_and_the_api_gets_json(client, db):
    page = client.get("/", HTTP_HOST="not-this-site.example")
    assert page.status_code == 400 and "could not be read; nothing was saved" in page.content.decode()
    api = client.get("/api/annotations/", HTTP_HOST="not-this-site.example")
    assert api.status_code == 400
    assert api.json() == {"error": "The request could not be read; nothing was saved."}


def test_forbidden_pages_are_friendly(db):
    client = client_for(make_user("student"))
    # Making a class is a POST; a GET is refused before anyone's role is asked.
    response = client.get("/classes/new/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    response = client.post("/classes/new/", {"name": "Mine"})
    assert response.status_code == 403 and "can't open this page" in response.content.decode()


def test_five_wrong_passwords_lock_the_account_for_that_client(db):
    make_user("target", password="the-right-password-1")
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "target", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "target", "password": "the-right-password-1"})
    assert locked.status_code == 429 and "Too many sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_validators_refuse_a_weak_password_at_sign_up(db):
    response = Client().post("/accounts/signup/", {"username": "weak", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200 and not User.objects.filter(username="weak").exists()
    assert "too common" in response.content.decode() and "entirely numeric" in response.content.decode()


PROJECT_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]


def test_the_project_hashes_passwords_with_argon2_first():
    from annotator import settings as project

    # The tests swap in a fast hasher; the settings module itself holds what production uses.
    assert project.PASSWORD_HASHERS == PROJECT_HASHERS


def test_a_password_set_at_sign_up_is_stored_as_argon2(db, settings):
    settings.PASSWORD_HASHERS = PROJECT_HASHERS
    response = Client().post("/accounts/signup/", {"username": "newcomer", "password1": "a-sound-passphrase-42",
                                                    "password2": "a-sound-passphrase-42"})
    assert response.status_code == 302
    assert User.objects.get(username="newcomer").password.startswith("argon2$argon2id$")


def test_an_older_pbkdf2_password_still_signs_in_and_is_rewritten_as_argon2(db, settings):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = PROJECT_HASHERS
    user = make_user("veteran")
    User.objects.filter(pk=user.pk).update(password=make_password("kept-since-last-year-7", hasher="pbkdf2_sha256"))
    client = Client()
    wrong = client.post("/accounts/login/", {"username": "veteran", "password": "not-it"})
    assert wrong.status_code == 200 and User.objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")
    response = client.post("/accounts/login/", {"username": "veteran", "password": "kept-since-last-year-7"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    assert User.objects.get(pk=user.pk).password.startswith("argon2$argon2id$")


@pytest.mark.parametrize("https", ["1", "0"])
def test_deployment_checks_are_clean_with_debug_off(https):
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**env, "DEBUG": "0", "HTTPS": https, "SECRET_KEY": "k" * 20 + "-deploy-check-0123456789-abcdefghijklmnop",
           "ALLOWED_HOSTS": "annotator.example.org"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
