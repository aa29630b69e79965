from django.urls import path

from canlian.benefits import views

app_name = "benefits"
urlpatterns = [
    path("applications/", views.applications, name="applications"),
    path("coverage/", views.coverage, name="coverage"),
    path("persons/<int:pk>/apply/", views.application_create, name="application_create"),
]
