from django.urls import path

from . import api

urlpatterns = [
    path("annotations/<int:pk>/replies/", api.reply_collection, name="api-replies"),
    path("replies/<int:pk>/", api.reply_item, name="api-reply"),
    path("replies/<int:pk>/flag/", api.reply_flag, name="api-reply-flag"),
]
