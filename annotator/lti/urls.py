from django.urls import path

from . import views

app_name = "lti"
urlpatterns = [
    path("lti/", views.setup, name="setup"),
    path("lti/login/", views.login, name="login"),
    path("lti/launch/", views.launch, name="launch"),
    path("lti/jwks.json", views.jwks, name="jwks"),
    path("lti/deep-link/", views.deep_link, name="deep_link"),
    path("lti/links/<int:pk>/choose/", views.choose, name="choose"),
    path("lti/links/<int:pk>/waiting/", views.not_ready, name="not_ready"),
    path("lti/exercises/<int:pk>/grades/", views.grade_report, name="grades"),
    path("lti/exercises/<int:pk>/grades/retry/", views.grade_retry, name="grades_retry"),
]
