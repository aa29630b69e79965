from django.urls import path

from canlian.registry import views

app_name = "registry"
urlpatterns = [
    path("persons/", views.person_search, name="person_search"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/reveal-id/", views.person_reveal_id, name="person_reveal_id"),
    path("persons/<int:pk>/status/", views.person_life_status, name="person_life_status"),
    path("persons/<int:pk>/assessments/new/", views.assessment_create, name="assessment_create"),
    path("persons/<int:pk>/certificates/issue/", views.certificate_issue, name="certificate_issue"),
    path("persons/<int:pk>/certificates/register/", views.certificate_register, name="certificate_register"),
    path("persons/<int:pk>/household/", views.household_edit, name="household_edit"),
    path("certificates/requests/", views.certificate_requests, name="certificate_requests"),
    path("certificates/expiring/", views.certificates_expiring, name="certificates_expiring"),
    path("certificates/<int:pk>/regrade/", views.certificate_regrade, name="certificate_regrade"),
    path("certificates/<int:pk>/<slug:action>/", views.certificate_action, name="certificate_action"),
]
