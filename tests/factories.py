"""Small builders shared by the server-side tests: two short articles, spans, signed-in clients."""

from django.test import Client

from annotator.corpus.models import Article

BODY_A = "Kremlin readout\nPutin urged restraint, the Kremlin said. Critics called it a strongman's bluff."
BODY_B = "PressTV story\nPutin praised the attack as wise, PressTV claimed."


def article(slug, body):
    return Article.objects.create(slug=slug, title=body.split("\n")[0], body=body, raw=body,
                                  source_file=f"{slug}.txt", raw_sha256=slug)


def span(art, phrase):
    """The API's span fields for the first `phrase` in the article."""
    start = art.body.index(phrase)
    return {"start": start, "end": start + len(phrase), "exact": phrase}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client
