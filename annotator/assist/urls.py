from django.urls import path

from . import api, views

app_name = "assist"
urlpatterns = [
    path("api/articles/<slug:slug>/suggestions/", api.suggestion_list, name="api-list"),
    path("api/articles/<slug:slug>/suggestions/dismiss/", api.suggestion_dismiss, name="api-dismiss"),
    path("articles/<slug:slug>/suggestions/", views.panel, name="panel"),
    path("articles/<slug:slug>/suggestions/accept/", views.accept, name="accept"),
    path("articles/<slug:slug>/suggestions/dismiss/", views.dismiss, name="dismiss"),
]
