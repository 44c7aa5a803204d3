from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
]
