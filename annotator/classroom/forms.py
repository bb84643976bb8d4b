from django import forms
from django.forms.models import ModelChoiceIteratorValue
from django.utils import timezone

from annotator.annotations.models import Label
from annotator.corpus.models import Article, search_words

from .models import (
    MAX_PEER_CLAIMS,
    MAX_REQUIRED_LINKS,
    Classroom,
    Exercise,
    RequiredRelation,
)


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name"]


class JoinForm(forms.Form):
    code = forms.CharField(label="Join code", max_length=40,
                           help_text="Your teacher reads it out, e.g. maple-otter-river-heron-42.")


# The exercise form offers the chosen articles and this many more: never the whole archive.
ARTICLES_OFFERED = 30


class ExerciseForm(forms.ModelForm):
    articles = forms.ModelMultipleChoiceField(
        queryset=Article.objects.listed(), widget=forms.CheckboxSelectMultiple,
        help_text="Students annotate these; pick at least two for lateral reading.")
    labels = forms.MultipleChoiceField(
        choices=Label.choices, widget=forms.CheckboxSelectMultiple, initial=list(Label.values),
        help_text="The labels students may use.")
    opens = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                help_text="Leave empty to open at once.")
    due = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    # A number no student can reach would lock the whole class out of submitting.
    min_contradicting_links = forms.IntegerField(
        label="Links required", min_value=0, max_value=MAX_REQUIRED_LINKS, initial=0,
        help_text=f"How many claims each student must link to a passage in another article: "
                  f"0 to {MAX_REQUIRED_LINKS}.",
        error_messages={
            "invalid": f"Enter a whole number from 0 to {MAX_REQUIRED_LINKS}.",
            "min_value": "Enter 0 or more.",
            "max_value": f"Ask for at most {MAX_REQUIRED_LINKS} links: more would keep students "
                         "from ever submitting.",
        })

    required_link_relation = forms.ChoiceField(
        label="Each required link goes to", choices=RequiredRelation.choices, required=False,
        initial=RequiredRelation.CONTRADICTS, help_text="What the passage a required link goes to must do.")
    peers_after_claims = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PEER_CLAIMS,
        label="Open classmates' claims after this many of one's own",
        help_text="Each student then sees the class's claims and replies, anonymised (not the key), once they "
                  "have made this many claims or submitted. Leave empty to keep them closed until discussion mode.",
        error_messages={"min_value": "Enter 1 or more, or leave it empty.",
                        "max_value": f"Enter at most {MAX_PEER_CLAIMS}, or leave it empty.",
                        "invalid": f"Enter a whole number from 1 to {MAX_PEER_CLAIMS}, or leave it empty."})

    class Meta:
        model = Exercise
        fields = ["title", "instructions", "articles", "confirm_article_change", "labels", "min_contradicting_links",
                  "required_link_relation", "assist_allowed", "opens", "due", "reveal_policy", "peers_after_claims"]
        labels = {"assist_allowed": "Allow suggestions", "reveal_policy": "Reveal the key and feedback"}
        widgets = {"instructions": forms.Textarea(attrs={"rows": 4})}

    confirm_article_change = forms.BooleanField(
        required=False, label="Change the articles although students have submitted")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitted_count = (self.instance.submissions.filter(submitted__isnull=False).count()
                                if self.instance.pk else 0)
        if not self.submitted_count:
            del self.fields["confirm_article_change"]
        tz = timezone.get_current_timezone_name()
        self.fields["opens"].help_text = f"Leave empty to open at once. Times are in {tz}."
        self.fields["due"].help_text = f"Times are in {tz}."

    def offer_articles(self, typed="", ticked=()):
        """Narrow the articles shown as choices to those chosen (saved, posted, or `ticked` on
        the page before a search) and, after them, the ARTICLES_OFFERED newest whose title,
        outlet or byline holds `typed`. Any listed article may still be submitted."""
        self.article_search = search_words(typed)
        if self.is_bound:
            chosen = _ids(self.data.getlist(self.add_prefix("articles")))
        elif ticked:
            chosen = self.initial["articles"] = _ids(ticked)
        else:
            chosen = _ids(self.initial.get("articles", []))
        listed = Article.objects.listed().defer("raw")
        first = list(listed.filter(pk__in=chosen).newest_first())
        more = listed.exclude(pk__in=chosen)
        if self.article_search:
            more = more.matching(self.article_search)
        more = list(more.newest_first()[:ARTICLES_OFFERED + 1])
        self.more_articles = len(more) > ARTICLES_OFFERED
        self.fields["articles"].widget.choices = [(ModelChoiceIteratorValue(a.pk, a), a.title)
                                                  for a in first + more[:ARTICLES_OFFERED]]

    def clean_required_link_relation(self):
        # A form from before the choice existed asks for what it always meant: contradicting links.
        return self.cleaned_data["required_link_relation"] or RequiredRelation.CONTRADICTS

    def clean(self):
        data = super().clean()
        opens, due = data.get("opens"), data.get("due")
        if opens and due and due <= opens:
            self.add_error("due", "The due date must come after the opening date.")
        articles = data.get("articles")
        if (self.submitted_count and articles is not None and not data.get("confirm_article_change")
                and {a.pk for a in articles} != set(self.instance.articles.values_list("pk", flat=True))):
            self.add_error("confirm_article_change",
                           f"{self.submitted_count} student{'s have' if self.submitted_count > 1 else ' has'} already "
                           "submitted: tick this box to change the articles anyway.")
        if data.get("reveal_policy") == "after_due" and not due:
            self.add_error("due", "Set a due date to reveal after it.")
        return data


def _ids(values):
    """The article ids among `values` (ids or model instances; form text that is not a plausible id is dropped)."""
    ids = []
    for value in values:
        value = getattr(value, "pk", value)
        if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18):
            ids.append(int(value))
    return ids
