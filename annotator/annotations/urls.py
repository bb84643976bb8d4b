from django.urls import path

from . import views

app_name = "annotations"
urlpatterns = [
    path("articles/<slug:slug>/", views.reader, name="reader"),
    path("articles/<slug:slug>/claims/", views.create, name="create"),
    path("claims/<int:pk>/edit/", views.edit, name="edit"),
    path("claims/<int:pk>/delete/", views.delete, name="delete"),
]
