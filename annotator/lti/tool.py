"""The glue between pylti1p3 (the protocol: OIDC login, token checks, deep-linking answers,
grade service calls) and this app's tables.

pylti1p3 on its own keeps the OIDC nonce in the Django session and trusts whatever launch
storage it is given. Here the nonce is instead signed by us at login (no state kept for an
unauthenticated request) and checked for a signature and age at launch; the browser is bound
to the launch by the library's state cookie; and `services.launch` records the nonce once the
token is verified, refusing its second use from any browser.
"""

import uuid

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core import signing
from django.db import transaction
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.deployment import Deployment as LibDeployment
from pylti1p3.registration import Registration
from pylti1p3.session import SessionService
from pylti1p3.tool_config import ToolConfAbstract

from .models import Deployment, Platform, ToolKey

NONCE_SALT = "annotator.lti.nonce"
# Between the OIDC login and the launch the person only passes through the platform.
NONCE_MAX_AGE = 600
# A platform that does not answer must not hold a student's submit for long.
HTTP_TIMEOUT = 10


class TimeoutSession(requests.Session):
    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return super().request(*args, **kwargs)


def new_key():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    # The key id is the one pylti1p3 puts in the header of what it signs (the RFC 7638 thumbprint).
    kid = Registration.get_jwk(public_pem)["kid"]
    return ToolKey.objects.create(kid=kid, private_pem=private_pem, public_pem=public_pem)


def signing_key():
    """The newest unretired key, made on first need (one row, whoever asks)."""
    key = ToolKey.objects.filter(retired__isnull=True).first()
    if key is None:
        with transaction.atomic():
            key = ToolKey.objects.select_for_update().filter(retired__isnull=True).first() or new_key()
    return key


def jwks():
    """Every unretired key; the first request makes the first key, so that a platform can fetch
    it while being set up, before anything was signed."""
    signing_key()
    return {"keys": [Registration.get_jwk(key.public_pem) for key in ToolKey.objects.filter(retired__isnull=True)]}


def registration_for(platform, signing=True):
    """pylti1p3's view of a platform; with `signing`, also the key we sign with. Checking a
    launch needs no key of ours, so it never makes one."""
    registration = (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_url)
        .set_auth_token_url(platform.token_url)
        .set_key_set_url(platform.keyset_url)
    )
    if signing:
        key = signing_key()
        registration.set_tool_private_key(key.private_pem).set_tool_public_key(key.public_pem)
    if platform.token_audience:
        registration.set_auth_audience(platform.token_audience)
    return registration


class ToolConf(ToolConfAbstract):
    """Platforms and deployments as staff registered them. An unknown deployment id is refused,
    never added."""

    def __init__(self):
        super().__init__()
        self.platform = None

    def check_iss_has_one_client(self, iss):
        return False

    def check_iss_has_many_clients(self, iss):
        return True

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        platforms = Platform.objects.filter(issuer=iss)
        if client_id:
            platforms = platforms.filter(client_id=client_id)
        found = list(platforms[:2])
        # Without a client id the issuer must name one registration, or we would guess.
        if len(found) != 1:
            return None
        self.platform = found[0]
        return registration_for(self.platform, signing=False)

    def find_deployment(self, iss, deployment_id):
        return None

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        if self.platform is None or not Deployment.objects.filter(
                platform=self.platform, deployment_id=deployment_id).exists():
            return None
        return LibDeployment().set_deployment_id(deployment_id)


class SignedNonceSessions(SessionService):
    """pylti1p3's session service without the session: the nonce carries its own proof and
    nothing of the launch is written to the session before the person is signed in."""

    def save_nonce(self, nonce):
        pass

    def check_nonce(self, nonce):
        try:
            signing.TimestampSigner(salt=NONCE_SALT).unsign(nonce, max_age=NONCE_MAX_AGE)
        except signing.BadSignature:
            return False
        return True

    def save_launch_data(self, key, jwt_body):
        pass

    def get_launch_data(self, key):
        return None

    def save_state_params(self, state, params):
        pass

    def get_state_params(self, state):
        return {}

    def set_state_valid(self, state, id_token_hash):
        pass

    def check_state_is_valid(self, state, id_token_hash):
        # Always the state cookie, which only the browser that started the login holds.
        return False


class Login(DjangoOIDCLogin):
    def __init__(self, request, tool_conf):
        super().__init__(request, tool_conf, session_service=SignedNonceSessions(request))

    def _generate_nonce(self):
        return signing.TimestampSigner(salt=NONCE_SALT).sign(uuid.uuid4().hex)


class Launch(DjangoMessageLaunch):
    def __init__(self, request, tool_conf):
        super().__init__(request, tool_conf, session_service=SignedNonceSessions(request),
                         requests_session=TimeoutSession())
        # PyJWT checks exp and iat only when present; a launch token without them never expires.
        # The audience is pylti1p3's own check (against the registered client id).
        self.set_jwt_verify_options({"verify_aud": False, "require": ["exp", "iat", "sub", "nonce"]})

    @property
    def body(self):
        return self._get_jwt_body()
