"""Knowledge base: versions, review/publish workflow, feedback once per reader, suggestions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from steward.core import workflow as wf
from steward.core.context import change_context
from steward.itsm import services_knowledge as kb
from steward.itsm.models import ArticleFeedback, KnowledgeArticle, KnowledgeCategory
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db

ARTICLES = {
    "VPN disconnects every few minutes": "Update the VPN client and disable Wi-Fi power saving.",
    "Outlook asks for the password again and again": "Remove cached credentials in Windows Credential Manager.",
    "Printer shows offline": "Restart the print spooler and check the printer's network cable.",
    "Reset a forgotten password": "Use the self-service password page with your phone.",
    "Laptop battery drains fast": "Lower the screen brightness and check battery health.",
}


@pytest.fixture
def editor():
    user = make_user("editor")
    user.groups.add(Group.objects.get_or_create(name="Knowledge managers")[0])
    grant(user, KnowledgeArticle, "view", "add", "change")
    return user


def publish(article, editor):
    wf.transition(obj=article, name="submit", actor=editor)
    wf.transition(obj=article, name="publish", actor=editor)
    article.refresh_from_db()
    return article


@pytest.fixture
def library(editor):
    cat = KnowledgeCategory.objects.create(name="Workplace")
    return {
        title: publish(KnowledgeArticle.objects.create(title=title, body=body, category=cat), editor)
        for title, body in ARTICLES.items()
    }


def test_every_edit_of_title_or_body_is_a_version(editor):
    with change_context(actor=editor):
        article = KnowledgeArticle.objects.create(title="Draft", body="One")
        article.body = "Two"
        article.save()
        article.keywords = "x"
        article.save()
    assert article.version == 2
    assert [(v.number, v.body, v.author) for v in article.versions.all()] == [
        (2, "Two", editor),
        (1, "One", editor),
    ]


def test_review_and_publish_workflow_needs_a_knowledge_manager(editor):
    author = make_user("author")
    grant(author, KnowledgeArticle, "view", "add", "change")
    article = KnowledgeArticle.objects.create(title="How to", body="Steps")
    wf.transition(obj=article, name="submit", actor=author)
    with pytest.raises(wf.TransitionForbidden):
        wf.transition(obj=article, name="publish", actor=author)
    wf.transition(obj=article, name="publish", actor=editor)
    article.refresh_from_db()
    assert article.state == "published" and article.published_at
    with pytest.raises(wf.TransitionNotAllowed) as exc:
        wf.transition(obj=article, name="publish", actor=editor)
    assert "retire" in exc.value.allowed
    wf.transition(obj=article, name="retire", actor=editor)


def test_markdown_is_sanitised_on_the_portal(client, editor):
    article = publish(
        KnowledgeArticle.objects.create(
            title="Evil", body="Hi <script>alert(1)</script> [x](javascript:alert(2))"
        ),
        editor,
    )
    client.force_login(make_user("reader"))
    page = client.get(reverse("portal:kb_article", args=[article.reference])).content.decode()
    assert "<script>alert(1)" not in page and "javascript:alert" not in page


def test_feedback_is_one_per_reader_and_only_on_published_articles(client, editor, library):
    article = library["Printer shows offline"]
    reader = make_user("reader")
    kb.give_feedback(article=article, actor=reader, value="helpful")
    kb.give_feedback(article=article, actor=reader, value="not_helpful", comment="Still offline")
    assert ArticleFeedback.objects.filter(article=article).count() == 1
    article.refresh_from_db()
    assert (article.helpful_count, article.not_helpful_count, article.version) == (0, 1, 1)
    with pytest.raises(ValidationError) as exc:
        kb.give_feedback(article=article, actor=reader, value="meh")
    assert "value" in exc.value.message_dict
    draft = KnowledgeArticle.objects.create(title="Draft", body="x")
    with pytest.raises(ValidationError):
        kb.give_feedback(article=draft, actor=reader, value="helpful")
    client.force_login(make_user("other"))
    client.post(reverse("portal:kb_article", args=[article.reference]), {"value": "helpful"})
    article.refresh_from_db()
    assert (article.helpful_count, article.not_helpful_count) == (1, 1)
    assert client.get(reverse("portal:kb_article", args=[draft.reference])).status_code == 404


def test_suggestions_rank_partial_matches_and_skip_unpublished(library):
    KnowledgeArticle.objects.create(title="VPN drops draft", body="VPN VPN VPN")
    found = kb.suggest_articles(text="my vpn keeps dropping, disconnects all the time")
    assert found[0][0].title == "VPN disconnects every few minutes"
    assert all(a.state == "published" for a, _s in found)
    assert kb.suggest_articles(text="outlook password prompt")[0][0].title.startswith("Outlook")
    assert kb.suggest_articles(text="the and of") == []
    assert kb.suggest_articles(text="zebra giraffe") == []
    # A newly published article is seen without a restart (the index notices the change).
    new = KnowledgeArticle.objects.create(title="Zebra printer labels", body="Calibrate the zebra.")
    wf.transition(obj=new, name="submit", actor=make_user("a", superuser=True))
    wf.transition(obj=new, name="publish", actor=make_user("b", superuser=True))
    assert kb.suggest_articles(text="zebra")[0][0] == new


def test_suggestion_panel_on_the_portal_and_the_agent_incident_form(client, admin_client, library):
    client.force_login(make_user("reader"))
    page = client.get(reverse("portal:kb_suggest"), {"short_description": "printer offline"}).content.decode()
    assert f'data-suggestion="{library["Printer shows offline"].reference}"' in page
    assert "hx-get" in client.get(reverse("portal:incident_new")).content.decode()
    assert 'id="kb-suggestions"' in admin_client.get(reverse("itsm:incident_add")).content.decode()
    assert client.get(reverse("portal:kb_suggest"), {"q": ""}).content.decode().strip() == ""
    page = client.get(reverse("portal:home"), {"q": "printer"}).content.decode()
    assert library["Printer shows offline"].reference in page
    page = client.get(reverse("portal:kb"), {"q": "battery"}).content.decode()
    assert library["Laptop battery drains fast"].reference in page
