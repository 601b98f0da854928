"""The generic UI and API test cases for every catalogue and request model: data only."""

from __future__ import annotations

import datetime as dt

from steward.itsm.models import (
    ApprovalDelegation,
    ApprovalStep,
    CatalogueCategory,
    CatalogueItem,
    FulfilmentTask,
    FulfilmentTaskTemplate,
    Incident,
    KnowledgeArticle,
    KnowledgeCategory,
    ServiceRequest,
    SurveyResponse,
)
from steward.org.models import Person, Team
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

FORM = [{"name": "reason", "type": "text", "regex": "[A-Za-z ]+"}]


def base() -> dict:
    ann = Person.objects.create(first_name="Ann", last_name="A", email="ann@example.org")
    bob = Person.objects.create(first_name="Bob", last_name="B", email="bob@example.org", manager=ann)
    team = Team.objects.create(name="Workplace", slug="workplace")
    cat = CatalogueCategory.objects.create(name="Hardware")
    item = CatalogueItem.objects.create(name="Laptop", category=cat, form_fields=FORM, fulfilment_team=team)
    return {"ann": ann, "bob": bob, "team": team, "cat": cat, "item": item}


class CatalogueCategoryData:
    model = CatalogueCategory
    csv_data = ("name,order,description", "Access,1,Systems", "Software,2,", "Phones,3,")
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"order": -1}
    field_constraint = {"icon": ""}
    move_out_data = {"icon": "device-laptop"}
    create_data = {"name": "Furniture", "order": 5, "description": "Desks"}
    api_create_data = [
        {"name": "Furniture"},
        {"name": "Travel", "order": 3},
        {"name": "Training", "icon": "school"},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("Hardware", "Licences", "Mobile"):
            CatalogueCategory.objects.create(name=name)


class CatalogueCategoryViewTest(CatalogueCategoryData, ViewTestCases.ObjectViewTestCase):
    pass


class CatalogueCategoryAPITest(CatalogueCategoryData, APITestCases.APIViewTestCase):
    pass


class CatalogueItemData:
    model = CatalogueItem
    csv_data = ("name,category,active", "Monitor,Hardware,true", "Mouse,Hardware,true", "Dock,,false")
    bulk_edit_data = {"short_description": "Changed in bulk"}
    invalid_data = {"form_fields": '[{"name": "Bad Name"}]'}
    api_invalid_data = {"form_fields": [{"name": "a", "type": "colour"}]}
    field_constraint = {"active": True}
    move_out_data = {"active": False}

    @classmethod
    def setUpTestData(cls) -> None:
        cat = CatalogueCategory.objects.create(name="Hardware")
        for name in ("Laptop", "Phone", "Tablet"):
            CatalogueItem.objects.create(name=name, category=cat, form_fields=FORM)
        cls.create_data = {
            "name": "Headset",
            "category": cat.pk,
            "active": True,
            "order": 5,
            "form_fields": "[]",
        }
        cls.api_create_data = [
            {"name": "Headset", "category": cat.pk, "form_fields": FORM},
            {"name": "Keyboard"},
            {
                "name": "Access card",
                "form_fields": [{"name": "site", "type": "choice", "choices": ["A", "B"]}],
            },
        ]


class CatalogueItemViewTest(CatalogueItemData, ViewTestCases.ObjectViewTestCase):
    pass


class CatalogueItemAPITest(CatalogueItemData, APITestCases.APIViewTestCase):
    pass


class ApprovalStepData:
    model = ApprovalStep
    csv_data = ("item,order,name,approver_type,rule,team", "Laptop,4,Boss,manager,all,",
                "Laptop,5,IT,team,any,workplace", "Laptop,6,Mgr,manager,any,")  # fmt: skip
    bulk_edit_data = {"rule": "any"}
    invalid_data = {"rule": "sometimes"}
    field_constraint = {"rule": "all"}
    move_out_data = {"rule": "any"}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        for n in (1, 2, 3):
            ApprovalStep.objects.create(item=b["item"], order=n, name=f"Step {n}", approver_type="manager")
        cls.create_data = {"item": b["item"].pk, "order": 4, "name": "Finance", "approver_type": "people",
                           "rule": "any", "people": [b["ann"].pk]}  # fmt: skip
        cls.api_create_data = [
            {
                "item": b["item"].pk,
                "order": 4,
                "name": "Finance",
                "approver_type": "people",
                "people": [b["ann"].pk],
            },
            {"item": b["item"].pk, "order": 5, "name": "IT", "approver_type": "team", "team": b["team"].pk},
            {"item": b["item"].pk, "name": "Manager"},
        ]


class ApprovalStepViewTest(ApprovalStepData, ViewTestCases.ObjectViewTestCase):
    pass


class ApprovalStepAPITest(ApprovalStepData, APITestCases.APIViewTestCase):
    pass


class FulfilmentTaskTemplateData:
    model = FulfilmentTaskTemplate
    csv_data = ("item,order,short_description,assignment_team", "Laptop,4,Image,workplace", "Laptop,5,Ship,",
                "Laptop,6,Label,workplace")  # fmt: skip
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"order": "first"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        for n in (1, 2, 3):
            FulfilmentTaskTemplate.objects.create(item=b["item"], order=n, short_description=f"Task {n}")
        cls.create_data = {
            "item": b["item"].pk,
            "order": 4,
            "short_description": "Install",
            "assignment_team": b["team"].pk,
        }
        cls.api_create_data = [
            {"item": b["item"].pk, "short_description": "Install"},
            {"item": b["item"].pk, "order": 2, "short_description": "Ship", "assignment_team": b["team"].pk},
            {"item": b["item"].pk, "order": 3, "short_description": "Label", "description": "x"},
        ]


class FulfilmentTaskTemplateViewTest(FulfilmentTaskTemplateData, ViewTestCases.ObjectViewTestCase):
    pass


class FulfilmentTaskTemplateAPITest(FulfilmentTaskTemplateData, APITestCases.APIViewTestCase):
    pass


class ApprovalDelegationData:
    model = ApprovalDelegation
    csv_data = ("person,delegate,start,end", "ann@example.org,bob@example.org,2026-01-01,2026-01-05",
                "bob@example.org,ann@example.org,2026-02-01,2026-02-05",
                "ann@example.org,bob@example.org,2026-03-01,2026-03-01")  # fmt: skip
    bulk_edit_data = {"reason": "Holiday"}
    invalid_data = {"end": "2000-01-01"}
    field_constraint = {"reason": ""}
    move_out_data = {"reason": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        start = dt.date(2026, 7, 1)
        for n in range(3):
            ApprovalDelegation.objects.create(person=b["ann"], delegate=b["bob"], start=start + dt.timedelta(n * 10),
                                              end=start + dt.timedelta(n * 10 + 5))  # fmt: skip
        cls.create_data = {
            "person": b["bob"].pk,
            "delegate": b["ann"].pk,
            "start": "2026-09-01",
            "end": "2026-09-03",
        }
        cls.api_create_data = [
            {"person": b["bob"].pk, "delegate": b["ann"].pk, "start": "2026-09-01", "end": "2026-09-03"},
            {"person": b["ann"].pk, "delegate": b["bob"].pk, "start": "2026-10-01", "end": "2026-10-01"},
            {
                "person": b["bob"].pk,
                "delegate": b["ann"].pk,
                "start": "2026-11-01",
                "end": "2026-11-09",
                "reason": "Leave",
            },
        ]


class ApprovalDelegationViewTest(ApprovalDelegationData, ViewTestCases.ObjectViewTestCase):
    pass


class ApprovalDelegationAPITest(ApprovalDelegationData, APITestCases.APIViewTestCase):
    pass


class ServiceRequestData:
    model = ServiceRequest
    csv_data = ("item,requester,short_description", "Laptop,bob@example.org,New hire",
                "Laptop,ann@example.org,Broken", "Laptop,bob@example.org,")  # fmt: skip
    bulk_edit_data = {"short_description": "Changed in bulk"}
    invalid_data = {"requester": ""}
    api_invalid_data = {"answers": {"reason": "123"}}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        for reason in ("Broken", "Stolen", "New"):
            ServiceRequest.objects.create(item=b["item"], requester=b["bob"], answers={"reason": reason})
        cls.create_data = {"item": b["item"].pk, "requester": b["bob"].pk, "short_description": "Upgrade"}
        cls.api_create_data = [
            {"item": b["item"].pk, "requester": b["bob"].pk, "answers": {"reason": "Upgrade"}},
            {"item": b["item"].pk, "requester": b["ann"].pk, "answers": {"reason": "Spare"}},
            {
                "item": b["item"].pk,
                "requester": b["ann"].pk,
                "answers": {"reason": "Demo"},
                "short_description": "x",
            },
        ]


class ServiceRequestViewTest(ServiceRequestData, ViewTestCases.ObjectViewTestCase):
    pass


class ServiceRequestAPITest(ServiceRequestData, APITestCases.APIViewTestCase):
    pass


class FulfilmentTaskData:
    model = FulfilmentTask
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"order": "first"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        request = ServiceRequest.objects.create(
            item=b["item"], requester=b["bob"], answers={"reason": "Broken"}
        )
        for n in (1, 2, 3):
            FulfilmentTask.objects.create(request=request, order=n, short_description=f"Task {n}")
        ref = request.reference
        cls.csv_data = ("request,order,short_description,assignment_team", f"{ref},4,Image,workplace",
                        f"{ref},5,Ship,", f"{ref},6,Label,workplace")  # fmt: skip
        cls.create_data = {
            "request": request.pk,
            "order": 4,
            "short_description": "Install",
            "assignment_team": b["team"].pk,
        }
        cls.api_create_data = [
            {"request": request.pk, "short_description": "Install"},
            {"request": request.pk, "order": 2, "short_description": "Ship", "assignment_team": b["team"].pk},
            {"request": request.pk, "order": 3, "short_description": "Label", "description": "x"},
        ]


class FulfilmentTaskViewTest(FulfilmentTaskData, ViewTestCases.ObjectViewTestCase):
    pass


class FulfilmentTaskAPITest(FulfilmentTaskData, APITestCases.APIViewTestCase):
    pass


class KnowledgeCategoryData:
    model = KnowledgeCategory
    csv_data = ("name,order,description", "Email,1,Mail", "VPN,2,", "Printing,3,")
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"order": -1}
    field_constraint = {"description": ""}
    move_out_data = {"description": "Moved"}
    create_data = {"name": "Phones", "order": 5}
    api_create_data = [
        {"name": "Phones"},
        {"name": "Travel", "order": 3},
        {"name": "Access", "description": "x"},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("Laptops", "Accounts", "Network"):
            KnowledgeCategory.objects.create(name=name)


class KnowledgeCategoryViewTest(KnowledgeCategoryData, ViewTestCases.ObjectViewTestCase):
    pass


class KnowledgeCategoryAPITest(KnowledgeCategoryData, APITestCases.APIViewTestCase):
    pass


class KnowledgeArticleData:
    model = KnowledgeArticle
    csv_data = (
        "title,category,body",
        "Reset MFA,Email,Steps",
        "Map a drive,,Open Explorer",
        "Proxy,Email,Set it",
    )
    bulk_edit_data = {"keywords": "changed"}
    invalid_data = {"body": ""}
    field_constraint = {"keywords": ""}
    move_out_data = {"keywords": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        cat = KnowledgeCategory.objects.create(name="Email")
        for n in (1, 2, 3):
            KnowledgeArticle.objects.create(title=f"Article {n}", body=f"Body {n}", category=cat)
        cls.create_data = {"title": "New", "category": cat.pk, "body": "Text"}
        cls.api_create_data = [
            {"title": "New", "category": cat.pk, "body": "Text"},
            {"title": "Other", "body": "More", "summary": "s"},
            {"title": "Third", "body": "Even more", "keywords": "k"},
        ]


class KnowledgeArticleViewTest(KnowledgeArticleData, ViewTestCases.ObjectViewTestCase):
    pass


class KnowledgeArticleAPITest(KnowledgeArticleData, APITestCases.APIViewTestCase):
    pass


class SurveyResponseData:
    model = SurveyResponse
    bulk_edit_data = {"comment": "Changed in bulk"}
    invalid_data = {"rating": 6}
    field_constraint = {"comment": ""}
    move_out_data = {"comment": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        incidents = [Incident.objects.create(short_description=f"Incident {n}") for n in range(9)]
        for incident in incidents[:3]:
            SurveyResponse.objects.create(incident=incident, rating=4, respondent=b["bob"])
        refs = [i.reference for i in incidents]
        cls.csv_data = ("incident,rating,comment", f"{refs[3]},5,Great", f"{refs[4]},1,Slow", f"{refs[5]},3,")
        cls.create_data = {"incident": incidents[6].pk, "rating": 5, "respondent": b["bob"].pk}
        cls.api_create_data = [
            {"incident": incidents[6].pk, "rating": 5},
            {"incident": incidents[7].pk, "rating": 2, "comment": "meh"},
            {"request": ServiceRequest.objects.create(item=b["item"], requester=b["bob"]).pk, "rating": 4},
        ]


class SurveyResponseViewTest(SurveyResponseData, ViewTestCases.ObjectViewTestCase):
    pass


class SurveyResponseAPITest(SurveyResponseData, APITestCases.APIViewTestCase):
    pass
