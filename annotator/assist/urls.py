from django.urls import path

app_name = "assist"
urlpatterns = []
