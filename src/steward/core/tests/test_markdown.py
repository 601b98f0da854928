"""The Markdown sanitiser: user text renders without scripts, handlers or script links."""

import re

import pytest
from django.urls import reverse

from steward.core.models import Comment
from steward.org.models import Organisation
from steward.utilities.markdown import render_markdown
from steward.utilities.testing import grant, make_user

DANGEROUS = [
    "<script>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)>",
    '<p onclick="steal()">hi</p>',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<form action=https://evil.example><input name=q></form>",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116:alert(1)">x</a>',
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![i](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
]


def _assert_safe(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<iframe" not in lowered and "<form" not in lowered and "<style" not in lowered
    assert not re.search(r"\son[a-z]+\s*=", lowered), html
    assert "style=" not in lowered
    for href in re.findall(r'(?:href|src)="([^"]*)"', lowered):
        compact = re.sub(r"[\x00-\x20]", "", href)
        assert not compact.startswith(("javascript:", "vbscript:", "data:")), html


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_input_is_neutralised(text):
    _assert_safe(str(render_markdown(text)))


def test_ordinary_markdown_survives():
    html = str(
        render_markdown("# Title\n\n**bold** and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two")
    )
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert "<code>code</code>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<li>one</li>" in html


def test_links_keep_safe_schemes_and_get_rel_noopener():
    html = str(render_markdown("[site](https://example.org) [mail](mailto:a@example.org)"))
    assert 'href="https://example.org"' in html
    assert 'href="mailto:a@example.org"' in html
    rels = re.findall(r'rel="([^"]*)"', html)
    assert len(rels) == 2
    assert all("noopener" in rel.split() for rel in rels)


def test_a_user_supplied_rel_or_target_is_replaced():
    html = str(render_markdown('<a href="https://example.org" target="_blank" rel="opener">x</a>'))
    assert "opener" not in html.replace("noopener", "")
    assert "target=" not in html
    assert "noopener" in html


def test_empty_input():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


@pytest.mark.django_db
def test_comments_render_through_the_sanitiser_on_the_detail_page(client):
    user = make_user("ada")
    grant(user, Organisation, "view")
    org = Organisation.objects.create(name="Acme", slug="acme")
    client.force_login(user)
    body = "Look **here** <script>alert('xss')</script> [x](JaVaScRiPt:alert(1)) <img src=x onerror=alert(2)>"
    response = client.post(reverse("org:organisation_comment", kwargs={"pk": org.pk}), {"body": body})
    assert response.status_code == 302
    assert Comment.objects.get().body == body  # stored as written; made safe when shown
    page = client.get(org.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>here</strong>" in html
    comments = html[html.index('id="comments"') :]
    assert "alert('xss')" not in comments
    assert "onerror" not in comments
    assert "javascript:" not in comments.lower()


@pytest.mark.django_db
def test_an_empty_comment_is_refused(client):
    user = make_user("ada")
    grant(user, Organisation, "view")
    org = Organisation.objects.create(name="Acme", slug="acme")
    client.force_login(user)
    client.post(reverse("org:organisation_comment", kwargs={"pk": org.pk}), {"body": "   "})
    assert not Comment.objects.exists()
