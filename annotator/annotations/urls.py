from django.urls import path

app_name = "annotations"
urlpatterns = []
