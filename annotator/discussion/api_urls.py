from django.urls import path

from . import api

urlpatterns = [
    path("annotations/<int:pk>/replies/", api.reply_collection, name="api-replies"),
    path("replies/<int:pk>/", api.reply_item, name="api-reply"),
    path("replies/<int:pk>/flag/", api.reply_flag, name="api-reply-flag"),
    path("annotations/<int:pk>/moderation/", api.claim_moderation, name="api-claim-moderation"),
    path("replies/<int:pk>/moderation/", api.reply_moderation, name="api-reply-moderation"),
    path("exercises/<int:pk>/discussion/", api.exercise_discussion, name="api-exercise-discussion"),
]
