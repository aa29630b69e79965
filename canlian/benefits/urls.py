from django.urls import path

from canlian.benefits import views

app_name = "benefits"
urlpatterns = [
    path("applications/", views.applications, name="applications"),
    path("coverage/", views.coverage, name="coverage"),
    path("lists/", views.eligible_list, name="eligible_list"),
    path("persons/<int:pk>/apply/", views.application_create, name="application_create"),
    path("documents/<int:pk>/", views.application_document, name="application_document"),
    path("payroll/", views.payroll_list, name="payroll_list"),
    path("payroll/<int:pk>/", views.payroll_detail, name="payroll_detail"),
    path("payroll/<int:pk>/export/", views.payroll_export, name="payroll_export"),
    path("payroll/<int:pk>/reconcile/", views.payroll_reconcile, name="payroll_reconcile"),
    path("payroll/return-template.csv", views.reconcile_template, name="reconcile_template"),
    path("recoveries/", views.recoveries, name="recoveries"),
    path("budget/", views.budget, name="budget"),
]
