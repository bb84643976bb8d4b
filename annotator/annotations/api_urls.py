from django.urls import path

from . import api

urlpatterns = [
    path("annotations/", api.annotation_collection, name="api-annotations"),
    path("annotations/<int:pk>/", api.annotation_item, name="api-annotation"),
    path("links/", api.link_collection, name="api-links"),
    path("links/<int:pk>/", api.link_item, name="api-link"),
]
