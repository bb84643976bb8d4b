from django.urls import path

from . import api

urlpatterns = [
    path("articles/", api.article_list, name="api-articles"),
    path("articles/<slug:slug>/", api.article_detail, name="api-article"),
]
