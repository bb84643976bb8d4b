"""A small LMS for the LTI tests, over real HTTP on loopback: it has its own key pair and
serves its JWKS, signs launch tokens, answers the OIDC authorization request of a browser with
the form post a real platform makes, hands out access tokens to a tool that proves itself with
a client assertion signed by a key in the tool's JWKS, and keeps the scores it is sent.
"""

import html
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"


def key_pair():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return private, private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption())


class FakePlatform:
    client_id = "annotator-tool"
    deployment_id = "deployment-1"

    def __init__(self, host="127.0.0.1"):
        self.private, self.private_pem = key_pair()
        self.kid = "platform-key-1"
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}
        self.scores, self.token_requests, self.tool_jwks, self.deep_link_answers = [], [], None, []
        self.score_status = 200
        # What the next browser authorization request is answered with: claims for the token.
        self.next_launch = {}
        self.server = ThreadingHTTPServer((host, 0), self.handler())
        self.port = self.server.server_address[1]
        self.host_name = "localhost" if host == "127.0.0.1" else host
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://{self.host_name}:{self.port}"

    @property
    def issuer(self):
        return self.url

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def registration(self):
        """What an administrator copies from this platform into Annotator's admin."""
        return {"name": "Test LMS", "issuer": self.issuer, "client_id": self.client_id,
                "auth_url": f"{self.url}/auth", "token_url": f"{self.url}/token",
                "keyset_url": f"{self.url}/jwks"}

    def claims(self, nonce, sub="user-1", roles=(LEARNER,), context=("course-1", "Media Literacy 101"),
               link="link-1", message_type="LtiResourceLinkRequest", lineitem=None, **extra):
        now = int(time.time())
        body = {
            "iss": self.issuer, "aud": self.client_id, "sub": sub, "iat": now, "exp": now + 300, "nonce": nonce,
            "name": "Amira Khan", "given_name": "Amira", "family_name": "Khan",
            CLAIM + "message_type": message_type, CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": self.deployment_id, CLAIM + "roles": list(roles),
            CLAIM + "target_link_uri": "http://testserver/lti/launch/",
            CLAIM + "launch_presentation": {"return_url": f"{self.url}/return"},
        }
        if context:
            body[CLAIM + "context"] = {"id": context[0], "title": context[1], "type": ["CourseOffering"]}
        if message_type == "LtiResourceLinkRequest":
            body[CLAIM + "resource_link"] = {"id": link, "title": "Who says so?"}
        else:
            body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.url}/deep-link-return", "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["window"], "data": "opaque-platform-data"}
        if lineitem:
            body["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = {
                "scope": [SCORE_SCOPE, LINEITEM_SCOPE], "lineitem": f"{self.url}/lineitems/{lineitem}",
                "lineitems": f"{self.url}/lineitems"}
        body.update(extra)
        return {k: v for k, v in body.items() if v is not None}

    def sign(self, body, key=None, kid=None, alg="RS256"):
        if alg == "none":
            return jwt.encode(body, None, algorithm="none", headers={"kid": kid or self.kid})
        return jwt.encode(body, key or self.private_pem, algorithm=alg, headers={"kid": kid or self.kid})

    def handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body, content_type="application/json"):
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def form(self):
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length).decode()

            def do_GET(self):
                path = urlsplit(self.path)
                if path.path == "/favicon.ico":
                    return self.answer(204, "")
                if path.path == "/jwks":
                    return self.answer(200, platform.jwks)
                if path.path == "/auth":
                    # The platform's side of the OIDC login: sign a token for the tool's nonce and
                    # post it back to the redirect URI with the state, as LMSs do.
                    query = {k: v[0] for k, v in parse_qs(path.query).items()}
                    token = platform.sign(platform.claims(query["nonce"], **platform.next_launch))
                    page = (f'<!doctype html><title>LMS</title><form id="f" method="post" '
                            f'action="{html.escape(query["redirect_uri"])}">'
                            f'<input type="hidden" name="id_token" value="{token}">'
                            f'<input type="hidden" name="state" value="{html.escape(query["state"])}">'
                            f'<button>Continue</button></form><script>document.getElementById("f").submit()</script>')
                    return self.answer(200, page, "text/html")
                return self.answer(404, {"error": "not found"})

            def do_POST(self):
                path = urlsplit(self.path).path
                if path == "/token":
                    form = {k: v[0] for k, v in parse_qs(self.form()).items()}
                    platform.token_requests.append(form)
                    if not platform.tool_assertion_valid(form.get("client_assertion", "")):
                        return self.answer(401, {"error": "invalid_client"})
                    return self.answer(200, {"access_token": "token-" + uuid.uuid4().hex, "token_type": "Bearer",
                                             "expires_in": 3600, "scope": form.get("scope", "")})
                if path == "/deep-link-return":
                    platform.deep_link_answers.append(parse_qs(self.form())["JWT"][0])
                    return self.answer(200, "<!doctype html><title>LMS</title><p>Item added.</p>", "text/html")
                if path.startswith("/lineitems/") and path.endswith("/scores"):
                    if not self.headers.get("Authorization", "").startswith("Bearer token-"):
                        return self.answer(401, {"error": "no token"})
                    if platform.score_status != 200:
                        return self.answer(platform.score_status, {"error": "gradebook unavailable"})
                    platform.scores.append({"lineitem": path.removesuffix("/scores"),
                                            "content_type": self.headers.get("Content-Type"),
                                            **json.loads(self.form())})
                    return self.answer(200, {})
                return self.answer(404, {"error": "not found"})

        return Handler

    def tool_assertion_valid(self, assertion):
        """The tool's client assertion must be signed by a key in the JWKS it publishes."""
        if not self.tool_jwks:
            return False
        try:
            kid = jwt.get_unverified_header(assertion)["kid"]
            jwk = next(k for k in self.tool_jwks["keys"] if k["kid"] == kid)
            claims = jwt.decode(assertion, RSAAlgorithm.from_jwk(json.dumps(jwk)), algorithms=["RS256"],
                                audience=f"{self.url}/token")
        except (jwt.PyJWTError, KeyError, StopIteration):
            return False
        return claims["iss"] == claims["sub"] == self.client_id
