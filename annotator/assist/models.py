from django.conf import settings
from django.db import models

from annotator.annotations.models import Label
from annotator.corpus.models import Article


class Dismissal(models.Model):
    """A suggestion a reader has waved away, so it stays hidden for them.

    `exact` is the text the suggestion covered: when the article's text changes, a new
    suggestion at the same offsets over different words is shown again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assist_dismissals")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="assist_dismissals")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    label = models.CharField(max_length=20, choices=Label.choices)
    exact = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article_id", "start", "end"]
        constraints = [
            models.UniqueConstraint(fields=["user", "article", "start", "end", "label"], name="assist_dismissal_unique"),
        ]

    def __str__(self):
        return f"{self.user} dismissed {self.label} {self.start}-{self.end} in {self.article_id}"
