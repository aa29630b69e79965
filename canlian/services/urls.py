from django.urls import path

from canlian.services import views

app_name = "services"
urlpatterns = [
    path("", views.needs, name="needs"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("records/<int:pk>/", views.service_detail, name="service_detail"),
    path("records/export.xlsx", views.services_export, name="services_export"),
    path("persons/<int:pk>/new/", views.service_create, name="service_create"),
    path("persons/<int:pk>/survey/", views.survey_visit, name="survey_visit"),
    path("persons/<int:pk>/survey/<slug:section>/", views.survey_section, name="survey_section"),
    path("survey/", views.survey_progress, name="survey_progress"),
    path("coverage/", views.coverage, name="coverage"),
    path("coordinators/", views.coordinators, name="coordinators"),
    path("children/", views.children, name="children"),
    path("education/", views.education, name="education"),
    path("modifications/", views.modifications, name="modifications"),
    path("modifications/<int:pk>/", views.modification_detail, name="modification_detail"),
    path("modifications/photos/<int:pk>/", views.modification_photo, name="modification_photo"),
    path("persons/<int:pk>/modification/", views.modification_apply, name="modification_apply"),
]
