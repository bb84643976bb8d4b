from django.urls import path

from . import print_views, views

app_name = "annotations"
urlpatterns = [
    path("articles/<slug:slug>/", views.reader, name="reader"),
    path("articles/<slug:slug>/claims/", views.create, name="create"),
    path("articles/<slug:slug>/print/", print_views.article_print, name="print"),
    path("claims/<int:pk>/edit/", views.edit, name="edit"),
    path("claims/<int:pk>/delete/", views.delete, name="delete"),
]

# Linking claims across articles, and the map of those links.
from . import link_views, map_views  # noqa: E402

urlpatterns += [
    path("claims/<int:pk>/links/", link_views.link_panel, name="link_panel"),
    path("claims/<int:pk>/links/passages/", link_views.link_passages, name="link_passages"),
    path("claims/<int:pk>/links/articles/<slug:slug>/", link_views.link_article, name="link_article"),
    path("claims/<int:pk>/links/save/", link_views.link_create, name="link_create"),
    path("links/<int:pk>/delete/", link_views.link_delete, name="link_delete"),
    path("map/", map_views.claim_map_page, name="claim_map"),
]

# Sources: who claims are attributed to, across every article.
from . import source_views  # noqa: E402

urlpatterns += [
    path("sources/", source_views.source_list, name="sources"),
    path("sources/new/", source_views.source_create, name="source_create"),
    path("sources/find/", source_views.source_find, name="source_find"),
    path("sources/suggest/", source_views.source_suggestions, name="source_suggestions"),
    path("sources/<slug:slug>/", source_views.source_page, name="source"),
    path("sources/<slug:slug>/aliases/", source_views.alias_add, name="alias_add"),
    path("sources/aliases/<int:pk>/delete/", source_views.alias_delete, name="alias_delete"),
]
