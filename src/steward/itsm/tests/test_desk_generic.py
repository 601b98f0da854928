"""Generic UI and API tests of the service desk models: each class gives data only."""

from __future__ import annotations

from steward.itsm.models import (
    AssignmentRule,
    CannedResponse,
    CatalogueItem,
    MailboxSettings,
    MailIntakeRule,
    MailMessage,
    Service,
)
from steward.org.models import Person, Team
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases


def desk_team() -> Team:
    team = Team.objects.create(name="Network", slug="network")
    team.members.add(Person.objects.create(first_name="Nora", last_name="Net", email="nora@example.org"))
    return team


class AssignmentRuleData:
    model = AssignmentRule
    csv_data = (
        "name,order,category,priorities,team,method",
        'Printers,10,printer,"[""3""]",network,team',
        "Wifi,20,wifi,[],network,round_robin",
        "Any,30,,[],network,least_loaded",
    )
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"priorities": '["9"]'}
    field_constraint = {"method": "team"}
    move_out_data = {"method": "round_robin"}

    @classmethod
    def setUpTestData(cls) -> None:
        team = desk_team()
        service = Service.objects.create(name="Email")
        for i, name in enumerate(("Mail", "VPN", "Phones")):
            AssignmentRule.objects.create(
                name=name, order=i, category=name.lower(), team=team, service=service
            )
        cls.create_data = {"name": "Laptops", "order": 5, "category": "laptop", "priorities": '["1", "2"]',
                           "team": team.pk, "method": "round_robin"}  # fmt: skip
        cls.api_create_data = [
            {"name": "Laptops", "team": team.pk, "priorities": ["1"], "method": "least_loaded"},
            {"name": "Desktops", "team": team.pk, "category": "desktop"},
            {"name": "Email", "team": team.pk, "service": service.pk, "order": 1},
        ]


class AssignmentRuleViewTest(AssignmentRuleData, ViewTestCases.ObjectViewTestCase):
    pass


class AssignmentRuleAPITest(AssignmentRuleData, APITestCases.APIViewTestCase):
    pass


class CannedResponseData:
    model = CannedResponse
    csv_data = (
        "name,kind,body",
        "Thanks,comment,Thank you {{ caller.first_name }}.",
        "Chasing,comment,Any news on {{ incident.reference }}?",
        "Vendor,work_note,Called the vendor.",
    )
    bulk_edit_data = {"kind": "work_note"}
    invalid_data = {"body": "Hello {{ secret.key }}"}
    field_constraint = {"kind": "comment"}
    move_out_data = {"kind": "work_note"}

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("Hello", "Bye", "Wait"):
            CannedResponse.objects.create(name=name, body=f"{name} {{{{ caller.first_name }}}}")
        cls.create_data = {
            "name": "Resolved",
            "kind": "comment",
            "body": "{{ incident.reference }} is fixed.",
        }
        cls.api_create_data = [
            {"name": "Resolved", "body": "{{ incident.reference }} is fixed."},
            {"name": "Escalated", "kind": "work_note", "body": "Escalated to {{ team.name }}."},
            {"name": "Plain", "body": "Plain text."},
        ]


class CannedResponseViewTest(CannedResponseData, ViewTestCases.ObjectViewTestCase):
    pass


class CannedResponseAPITest(CannedResponseData, APITestCases.APIViewTestCase):
    pass


class MailMessageData:
    model = MailMessage
    csv_data = (
        "direction,status,message_id,from_address,subject",
        "in,processed,m4@example.org,a@example.org,Printer",
        "in,ignored,m5@example.org,b@example.org,Out of office",
        "out,processed,m6@example.org,desk@example.org,Re: Printer",
    )
    bulk_edit_data = {"reason": "Reviewed"}
    invalid_data = {"status": "lost"}
    field_constraint = {"status": "processed"}
    move_out_data = {"status": "ignored"}

    @classmethod
    def setUpTestData(cls) -> None:
        for i in (1, 2, 3):
            MailMessage.objects.create(
                message_id=f"m{i}@example.org", from_address="c@example.org", subject=f"S{i}"
            )
        cls.create_data = {"direction": "in", "status": "processed", "message_id": "new@example.org",
                           "subject": "Typed in"}  # fmt: skip
        cls.api_create_data = [
            {"message_id": "a1@example.org", "subject": "A"},
            {"message_id": "a2@example.org", "direction": "out", "subject": "B"},
            {"message_id": "a3@example.org", "status": "ignored", "reason": "Auto-reply"},
        ]


class MailMessageViewTest(MailMessageData, ViewTestCases.ObjectViewTestCase):
    pass


class MailMessageAPITest(MailMessageData, APITestCases.APIViewTestCase):
    pass


class MailboxSettingsData:
    model = MailboxSettings
    csv_data = (
        "name,host,port,username,folder,unknown_senders",
        "Support,imap.example.org,993,support,INBOX,accept",
        "HR,imap.example.org,993,hr,INBOX,reject",
        "Facilities,imap.example.org,143,fac,Tickets,create_person",
    )
    bulk_edit_data = {"folder": "Desk"}
    invalid_data = {"password_env": "not a var!"}
    field_constraint = {"unknown_senders": "create_person"}
    move_out_data = {"unknown_senders": "reject"}

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("Desk", "Security", "Finance"):
            MailboxSettings.objects.create(name=name, host="imap.example.org", username=name.lower())
        cls.create_data = {"name": "Ops", "enabled": True, "host": "127.0.0.1", "port": 10143, "username": "ops",
                           "folder": "INBOX", "unknown_senders": "accept"}  # fmt: skip
        cls.api_create_data = [
            {"name": "Ops", "host": "127.0.0.1", "port": 10143},
            {"name": "Legal", "username": "legal", "password_env": "LEGAL_MAIL_PASSWORD"},
            {"name": "Print", "address": "print@example.org", "unknown_senders": "reject"},
        ]


class MailboxSettingsViewTest(MailboxSettingsData, ViewTestCases.ObjectViewTestCase):
    pass


class MailboxSettingsAPITest(MailboxSettingsData, APITestCases.APIViewTestCase):
    pass


class MailIntakeRuleData:
    model = MailIntakeRule
    csv_data = (
        "name,order,recipient,sender_domain,keywords,action,category",
        "HR mail,10,hr@example.org,,,ignore,",
        "Partners,20,,partner.example,,incident,partners",
        'Printers,30,,,"printer, toner",incident,printing',
    )
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"subject_regex": "(unclosed"}
    field_constraint = {"enabled": True}
    move_out_data = {"enabled": False}

    @classmethod
    def setUpTestData(cls) -> None:
        team = desk_team()
        item = CatalogueItem.objects.create(
            name="Access",
            form_fields=[{"name": "details", "label": "Details", "type": "long_text", "required": True}],
        )
        for i, name in enumerate(("Security", "Phones", "Noise")):
            MailIntakeRule.objects.create(name=name, order=i, keywords=name.lower(), team=team)
        cls.create_data = {"name": "Access requests", "order": 5, "recipient": "access@example.org",
                           "action": "request", "catalogue_item": item.pk}  # fmt: skip
        cls.api_create_data = [
            {
                "name": "Access",
                "recipient": "access@example.org",
                "action": "request",
                "catalogue_item": item.pk,
            },
            {"name": "Vendors", "sender_domain": "vendor.example", "action": "incident", "team": team.pk},
            {"name": "Spam", "subject_regex": "^\\[SPAM\\]", "action": "ignore"},
        ]


class MailIntakeRuleViewTest(MailIntakeRuleData, ViewTestCases.ObjectViewTestCase):
    pass


class MailIntakeRuleAPITest(MailIntakeRuleData, APITestCases.APIViewTestCase):
    pass
