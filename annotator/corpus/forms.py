"""Forms of the pages where teachers add and look after articles.

Adding is two requests: the add form turns a paste or files into `Source`s, each shown
as a preview; the preview form carries its source back in a signed token, so the save
step re-reads exactly the bytes the teacher saw, and nothing is stored in between.
"""

import base64
import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.core import signing
from django.template.defaultfilters import filesizeformat

from .importer import IMPORTABLE_SUFFIXES, KINDS, OVERRIDABLE, title_is_derived
from .languages import LANGUAGES
from .models import Article

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 20
# Far above any news article, and well under the request limit the text must pass twice
# (pasted, then carried through the preview).
MAX_PASTE_CHARS = 500_000
TOKEN_MAX_AGE = 24 * 60 * 60
_SALT = "annotator.corpus.preview"


@dataclass
class Source:
    """Bytes to import and where they came from."""

    name: str  # the file name the article is stored under (Article.source_file)
    data: bytes
    label: str  # what the teacher knows it as: a file name or "Pasted text"
    kind: str | None = None  # "text" or "html" when the name's suffix must not decide
    article_id: int | None = None  # the article whose text this replaces


def pasted(text, label="Pasted text", name=None, article_id=None):
    """A paste as a Source; without a name it gets pasted-<sha8>.txt, so the same paste is the same file."""
    # Browsers send textarea line ends as CRLF; the same paste should give the same bytes everywhere.
    data = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    name = name or f"pasted-{hashlib.sha256(data).hexdigest()[:8]}.txt"
    return Source(name, data, label, "text", article_id)


def pack(source):
    """A signed, compressed token that carries `source` through the preview page."""
    head = json.dumps({"name": source.name, "label": source.label, "kind": source.kind, "article": source.article_id})
    body = base64.urlsafe_b64encode(zlib.compress(source.data, 6)).decode()
    value = base64.urlsafe_b64encode(head.encode()).decode() + "." + body
    return signing.TimestampSigner(salt=_SALT).sign(value)


def unpack(token):
    """The Source in a token from `pack`; raises signing.BadSignature when altered or expired."""
    value = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=TOKEN_MAX_AGE)
    head, body = value.split(".", 1)
    meta = json.loads(base64.urlsafe_b64decode(head))
    data = zlib.decompress(base64.urlsafe_b64decode(body))
    return Source(meta["name"], data, meta["label"], meta["kind"], meta["article"])


def token_budget():
    """How long a token may be and still fit, with the other fields, in one form post."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 256 * 1024


class Unsuffixed:
    """Labels without Django's trailing colon, as on the rest of the site."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PasteField(forms.CharField):
    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_PASTE_CHARS)
        kwargs.setdefault("strip", False)
        kwargs["error_messages"] = {
            "max_length": "The pasted text is %(show_value)d characters long; paste at most "
            "%(limit_value)d, or upload it as a file.",
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)
        self.widget.attrs.update({"rows": 14, "spellcheck": "false", "data-max-chars": MAX_PASTE_CHARS})

    def widget_attrs(self, widget):
        # A maxlength attribute would make the browser cut a long paste short without a word;
        # preview.js and the server refuse it with a message instead.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs):
        accept = ",".join(sorted(IMPORTABLE_SUFFIXES)) + ",text/plain,text/html"
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class AddArticleForm(Unsuffixed, forms.Form):
    text = PasteField(required=False, label="Paste the article")
    files = MultipleFileField(
        required=False,
        allow_empty_file=True,  # an empty file gets a message that names it, below
        label="Or upload files",
        help_text=f".txt or saved .html pages, several at once, up to {filesizeformat(MAX_FILE_BYTES)} each.",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Upload at most {MAX_FILES} files at once (you chose {len(files)}).")
        problems = [problem for upload in files if (problem := _upload_problem(upload))]
        if problems:
            raise forms.ValidationError(problems)
        return files

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("text", "").strip() and not data.get("files"):
            raise forms.ValidationError(
                "Nothing to preview: paste the text of an article, or choose one or more .txt or .html files."
            )
        return data

    def sources(self):
        text = self.cleaned_data["text"]
        if text.strip():
            yield pasted(text)
        for upload in self.cleaned_data["files"]:
            yield Source(Path(upload.name).name, upload.read(), upload.name)


def _upload_problem(upload):
    name = Path(upload.name).name
    if Path(name).suffix.lower() not in IMPORTABLE_SUFFIXES:
        return f"{name}: only .txt, .html and .htm files can be added."
    if upload.size > MAX_FILE_BYTES:
        return (
            f"{name} is {filesizeformat(upload.size)}; the limit is {filesizeformat(MAX_FILE_BYTES)} per file. "
            "An article's text is rarely over a few hundred KB: save only the article, or paste its text."
        )
    if not upload.size:
        return f"{name} is empty."
    return ""


def language_field():
    return forms.ChoiceField(
        required=False,
        choices=[("", "Not known"), *((tag, f"{name} ({tag})") for tag, name in LANGUAGES.items())],
        help_text="Told from the text's letters; correct it if it is wrong.",
    )


class LineIndexes(forms.Field):
    """The set of line numbers whose checkboxes (one per line, sharing a name) are ticked."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return {int(item) for item in value or ()}
        except (TypeError, ValueError):
            raise forms.ValidationError("The line choices were not understood; preview the article again.") from None


class PreviewForm(Unsuffixed, forms.Form):
    """What the teacher decided on the preview: the metadata and which lines to keep."""

    source = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=Article._meta.get_field("title").max_length)
    published = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    byline = forms.CharField(required=False, max_length=Article._meta.get_field("byline").max_length)
    outlet = forms.CharField(required=False, max_length=Article._meta.get_field("outlet").max_length)
    url = forms.URLField(
        required=False, max_length=Article._meta.get_field("url").max_length, assume_scheme="https", label="URL"
    )
    language = language_field()
    keep = LineIndexes(required=False)
    remove = LineIndexes(required=False)

    def clean_source(self):
        try:
            source = unpack(self.cleaned_data["source"])
        except (signing.BadSignature, ValueError, KeyError, zlib.error):
            raise forms.ValidationError(
                "This preview has expired or was changed on the way; add the article again."
            ) from None
        if source.kind not in (None, *KINDS):
            raise forms.ValidationError("This preview was changed on the way; add the article again.")
        return source

    def removed(self, lines):
        """Indexes of the lines to leave out: the importer's choice, overruled line by line."""
        keep, remove = self.cleaned_data["keep"], self.cleaned_data["remove"]
        return {
            index
            for index, line in enumerate(lines)
            if (line["removed"] and index not in keep) or (not line["removed"] and index in remove)
        }

    def overrides(self):
        return {name: self.cleaned_data[name] for name in OVERRIDABLE}


class EditArticleForm(Unsuffixed, forms.ModelForm):
    url = forms.URLField(
        required=False, max_length=Article._meta.get_field("url").max_length, assume_scheme="https", label="URL"
    )
    language = language_field()

    class Meta:
        model = Article
        fields = ["title", "published", "byline", "outlet", "url", "language"]
        widgets = {"published": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def save(self, commit=True):
        article = self.instance
        article.title_derived = title_is_derived(article.body, article.title)
        # Only these columns: the body may be changing under another request.
        article.save(update_fields=[*self.Meta.fields, "title_derived", "modified"])
        return article


class ReplaceTextForm(Unsuffixed, forms.Form):
    text = PasteField(
        label="New text",
        error_messages={"required": "Paste the new text of the article."},
        help_text="Claims already made on this article find their text again; any that cannot are kept and flagged.",
    )


class DeleteArticleForm(forms.Form):
    confirm = forms.BooleanField(error_messages={"required": "Tick the box to confirm the deletion."})
    # The fingerprint of what the page said would go: the delete removes that, or nothing.
    plan = forms.CharField(widget=forms.HiddenInput, max_length=64,
                           error_messages={"required": "This page is out of date: open the article's edit page again."})
