from django.urls import path

from canlian.employment import views

app_name = "employment"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("job-seekers/", views.job_seekers, name="job_seekers"),
    path("zero-employment-households/", views.zero_employment_households, name="zero_households"),
    path("persons/<int:pk>/record/", views.employment_record_add, name="record_add"),
    path("employers/", views.employers, name="employers"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", views.employer_edit, name="employer_edit"),
    path("declarations/<int:pk>/", views.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/letter.pdf", views.declaration_letter, name="declaration_letter"),
    path("declarations/employees-template.xlsx", views.employees_template, name="employees_template"),
]
