from django.urls import path

from . import api, views

app_name = "privacy"
urlpatterns = [
    path("accounts/data/", views.my_data, name="my_data"),
    path("accounts/data/name/", views.display_name, name="display_name"),
    path("accounts/data/my-data.json", views.download_json, name="download_json"),
    path("accounts/data/my-data.zip", views.download_zip, name="download_zip"),
    path("accounts/<int:pk>/delete/", views.delete_account, name="delete_account"),
    path("api/me/data/", api.my_data, name="api-my-data"),
    path("api/accounts/<int:pk>/delete/", api.delete_account, name="api-account-delete"),
]
