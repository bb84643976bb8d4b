from django.urls import path

from . import api

urlpatterns = [
    path("articles/", api.article_list, name="api-articles"),
    path("articles/<slug:slug>/", api.article_detail, name="api-article"),
    path("articles/<slug:slug>/related/", api.related, name="api-article-related"),
    path("passages/search/", api.passage_search, name="api-passage-search"),
    path("outlets/", api.outlet_list, name="api-outlets"),
    path("outlets/<slug:slug>/", api.outlet_detail, name="api-outlet"),
    path("outlets/<slug:slug>/lock/", api.outlet_lock, name="api-outlet-lock"),
]
