from django.urls import path

from . import api

urlpatterns = [
    path("annotations/", api.annotation_collection, name="api-annotations"),
    path("annotations/<int:pk>/", api.annotation_item, name="api-annotation"),
    path("links/", api.link_collection, name="api-links"),
    path("links/<int:pk>/", api.link_item, name="api-link"),
    path("sources/", api.source_collection, name="api-sources"),
    path("sources/aliases/<int:pk>/", api.source_alias, name="api-source-alias"),
    path("sources/<slug:slug>/", api.source_item, name="api-source"),
    path("sources/<slug:slug>/aliases/", api.source_aliases, name="api-source-aliases"),
]
