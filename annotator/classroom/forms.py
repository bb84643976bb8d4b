from django import forms

from annotator.annotations.models import Label
from annotator.corpus.models import Article

from .models import MAX_PEER_CLAIMS, MAX_REQUIRED_LINKS, Classroom, Exercise


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name"]


class JoinForm(forms.Form):
    code = forms.CharField(label="Join code", max_length=40,
                           help_text="Your teacher reads it out, e.g. maple-otter-river-heron-42.")


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
        label="Contradicting links required", min_value=0, max_value=MAX_REQUIRED_LINKS, initial=0,
        help_text=f"How many claims each student must link to a contradicting passage in another article: "
                  f"0 to {MAX_REQUIRED_LINKS}.",
        error_messages={
            "invalid": f"Enter a whole number from 0 to {MAX_REQUIRED_LINKS}.",
            "min_value": "Enter 0 or more.",
            "max_value": f"Ask for at most {MAX_REQUIRED_LINKS} contradicting links: more would keep students "
                         "from ever submitting.",
        })

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
        fields = ["title", "instructions", "articles", "labels", "min_contradicting_links", "assist_allowed",
                  "opens", "due", "reveal_policy", "peers_after_claims"]
        labels = {"assist_allowed": "Allow suggestions", "reveal_policy": "Reveal the key and feedback"}
        widgets = {"instructions": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        opens, due = data.get("opens"), data.get("due")
        if opens and due and due <= opens:
            self.add_error("due", "The due date must come after the opening date.")
        if data.get("reveal_policy") == "after_due" and not due:
            self.add_error("due", "Set a due date to reveal after it.")
        return data
