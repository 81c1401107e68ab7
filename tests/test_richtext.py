"""Rich text both ways (glpi_python_client.richtext): a corpus, round-trip properties, safety, the model views."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glpi_python_client import (
    GetFollowup,
    GetSolution,
    GetTicket,
    GetTicketTask,
    GlpiError,
    PatchFollowup,
    PatchTicket,
    PostFollowup,
    PostSolution,
    PostTicket,
    PostTicketTask,
    RichTextError,
    richtext,
)
from glpi_python_client.richtext import contains_html, html_to_markdown, markdown_to_html

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

# -- the corpus: GLPI-like bodies, what they read as, and a round trip that changes nothing -----------

CORPUS: dict[str, tuple[str, str]] = {
    "headings": (
        "<h1>Wi-Fi</h1><h2>Steps</h2><h3>Notes #</h3><h6>six</h6>",
        "# Wi-Fi\n\n## Steps\n\n### Notes \\#\n\n###### six",
    ),
    "emphasis": (
        "<p><strong>bold</strong>, <em>italic</em>, <b><i>both</i></b>, <del>gone</del> and <code>x = 1</code></p>",
        "**bold**, *italic*, ***both***, ~~gone~~ and `x = 1`",
    ),
    "nested lists": (
        "<ul><li>one</li><li>two<ul><li>two.a</li><li>two.b<ol><li>deep</li></ol></li></ul></li><li>three</li></ul>",
        "- one\n- two\n  - two.a\n  - two.b\n    1. deep\n- three",
    ),
    "ordered list": ('<ol start="3"><li>third</li><li>fourth</li></ol>', "3. third\n4. fourth"),
    "loose list": (
        "<ul><li><p>first paragraph</p><p>second paragraph</p></li><li><p>next</p></li></ul>",
        "- first paragraph\n\n  second paragraph\n\n- next",
    ),
    "adjacent lists": (
        "<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>c</li></ol><ol><li>d</li></ol>",
        "- a\n\n* b\n\n1. c\n\n1) d",
    ),
    "table without header": (
        '<table class="table"><tbody><tr><td>Host</td><td style="text-align: right">Load</td></tr>'
        "<tr><td>srv-1</td><td>0.5</td></tr><tr><td>a | b</td></tr></tbody></table>",
        "| Host | Load |\n| --- | ---: |\n| srv-1 | 0.5 |\n| a \\| b |  |",
    ),
    "table with header": (
        "<table><thead><tr><th>Name</th><th>Value</th></tr></thead>"
        "<tbody><tr><td><code>a|b</code></td><td><b>x</b></td></tr></tbody></table>",
        "| Name | Value |\n| --- | --- |\n| `a\\|b` | **x** |",
    ),
    "code block": (
        '<pre class="language-python"><code>def f():\n    return "```"\n</code></pre>',
        '````python\ndef f():\n    return "```"\n````',
    ),
    "links": (
        '<p>See <a href="https://glpi.example/front/ticket.form.php?id=1&amp;x=2" title="the ticket">ticket (1)</a>'
        ' and <a href="mailto:it@example.com">mail</a>.</p>',
        'See [ticket (1)](https://glpi.example/front/ticket.form.php?id=1&x=2 "the ticket")'
        " and [mail](mailto:it@example.com).",
    ),
    "images": (
        '<p><img src="/front/document.send.php?docid=5" alt="screen [1]" width="300"> '
        '<a href="https://x.example"><img src="https://x.example/logo.png" alt="logo"></a></p>',
        "![screen \\[1\\]](/front/document.send.php?docid=5) [![logo](https://x.example/logo.png)](https://x.example)",
    ),
    "line breaks": (
        "<p>line one<br>line two<br />  line three</p><div>a div</div>",
        "line one\nline two\nline three\n\na div",
    ),
    "escapes": (
        "<p>__init__ and C:\\Temp and R&amp;D and *stars* and `ticks` and [brackets] and a|pipe and &lt;tag&gt;"
        " and &amp;copy;</p><p># not a heading<br>- not a list<br>+ nor this<br>1. nor this<br>2) nor this<br>"
        "&gt; not a quote<br>=== not a heading<br>--- not a rule<br>:-:</p>",
        "\\_\\_init\\_\\_ and C:\\\\Temp and R&D and \\*stars\\* and \\`ticks\\` and \\[brackets\\] and a\\|pipe"
        " and \\<tag> and \\&copy;\n\n\\# not a heading\n\\- not a list\n\\+ nor this\n1\\. nor this\n2\\) nor this\n"
        "\\> not a quote\n\\=== not a heading\n\\--- not a rule\n\\:-:",
    ),
    "snake_case stays": ("<p>my_var_name and x_1</p>", "my_var_name and x_1"),
    "non-ascii": (
        "<p>Élève café naïve — 日本語のテキスト, emoji 🎉, ß, Ω</p>",
        "Élève café naïve — 日本語のテキスト, emoji 🎉, ß, Ω",
    ),
    "quote and rule": (
        "<blockquote><p>It broke.</p><ul><li>twice</li></ul></blockquote><hr><p>after</p>",
        "> It broke.\n>\n> - twice\n\n***\n\nafter",
    ),
    "entity-encoded": ("&lt;p&gt;R&amp;amp;D &lt;b&gt;lab&lt;/b&gt;&lt;/p&gt;", "R&D **lab**"),
    "double entity-encoded": (
        "&amp;lt;p&amp;gt;double &amp;lt;i&amp;gt;encoded&amp;lt;/i&amp;gt;&amp;lt;/p&amp;gt;",
        "double *encoded*",
    ),
    "plain text": (
        "Printer offline.\nTried: power cycle\n\nStill * broken_now",
        "Printer offline.\nTried: power cycle\n\nStill \\* broken_now",
    ),
    "plain text with angle brackets": (
        "use the <Enter> key; if x<y then z>0",
        "use the \\<Enter> key; if x\\<y then z>0",
    ),
    "glpi editor": (
        '<p>Bonjour,</p>\n<p>&nbsp;</p>\n<p><span style="color: #e03e2d;">Le serveur</span> ne répond plus.</p>'
        "\n<p><u>Urgent</u></p><script>alert(1)</script>",
        "Bonjour,\n\nLe serveur ne répond plus.\n\nUrgent",
    ),
    "emphasis Markdown cannot close": ('<p><strong>"a"</strong>b</p>', '"a"b'),
    "unsafe link and image": (
        '<p><a href="javascript:alert(1)">click</a> <img src="data:image/png;base64,AA" alt="pic"></p>',
        "click pic",
    ),
}


@pytest.mark.parametrize("name", list(CORPUS))
def test_corpus_reads_as_markdown_and_survives_the_round_trip(name: str) -> None:
    html, expected = CORPUS[name]
    markdown = html_to_markdown(html)
    assert markdown == expected
    rendered = markdown_to_html(markdown)
    assert html_to_markdown(rendered) == markdown  # read -> write -> read is stable
    assert markdown_to_html(html_to_markdown(rendered)) == rendered  # and writing it back changes nothing


def test_what_is_written_for_the_escapes() -> None:
    text = "__init__ C:\\Temp R&D # x"
    markdown = html_to_markdown(f"<p>{text.replace('&', '&amp;')}</p>")
    assert markdown == "\\_\\_init\\_\\_ C:\\\\Temp R&D # x"
    assert markdown_to_html(markdown) == "<p>__init__ C:\\Temp R&amp;D # x</p>"
    assert markdown_to_html("# x\n\n__init__") == "<h1>x</h1>\n<p><strong>init</strong></p>"  # unescaped: syntax


def test_rendering_markdown() -> None:
    assert markdown_to_html("Reproduced on the lab laptop.") == "<p>Reproduced on the lab laptop.</p>"
    assert markdown_to_html("Disk full\nUsage: 98%") == "<p>Disk full<br />\nUsage: 98%</p>"  # newline: a break
    assert markdown_to_html("| a | b |\n|---|:-:|\n| 1 | 2 |").startswith("<table>\n<thead>")
    assert markdown_to_html("~~old~~ __bold__") == "<p><s>old</s> <strong>bold</strong></p>"
    assert markdown_to_html("<b>raw</b>") == "<p>&lt;b&gt;raw&lt;/b&gt;</p>"
    assert markdown_to_html("") == markdown_to_html("  \n ") == ""
    assert markdown_to_html("a\ud800b") == "<p>a\ufffdb</p>"  # a lone surrogate cannot be sent as UTF-8
    assert html_to_markdown(None) == html_to_markdown("") == ""


def test_contains_html() -> None:
    assert contains_html("<p>x</p>") and contains_html("a<br>b") and contains_html("</B>")
    assert not contains_html("use the <Enter> key") and not contains_html("x<y then z>0") and not contains_html("")


def test_pathological_bodies_convert() -> None:
    deep = "<div>" * 5000 + "deep" + "</div>" * 5000
    assert html_to_markdown(deep) == "deep"
    nested = "<ul><li>" * 300 + "x" + "</li></ul>" * 300
    assert html_to_markdown(nested).endswith("- x")
    assert html_to_markdown("<p>unclosed <b>bold <i>both</p><p>next") == "unclosed **bold *both***\n\nnext"


# -- properties -------------------------------------------------------------------------------------

_WORD = st.text(alphabet=st.sampled_from(list("abcXYZ019éß日_*\\#&<>[]()!|~`-+.:=\"' ")), min_size=1, max_size=8)


def _inline(depth: int) -> st.SearchStrategy[str]:
    base = st.one_of(_WORD, st.just(" "))
    if depth == 0:
        return base
    inner = st.lists(_inline(depth - 1), min_size=1, max_size=4).map("".join)
    return st.one_of(
        base,
        inner.map(lambda t: f"*{t}*"),
        inner.map(lambda t: f"**{t}**"),
        inner.map(lambda t: f"~~{t}~~"),
        _WORD.map(lambda t: f"`{t}`"),
        st.tuples(inner, _WORD).map(lambda p: f"[{p[0]}](http://x.example/{p[1]})"),
        _WORD.map(lambda t: f"![{t}](/img/{t}.png)"),
        st.just("\n"),
    )


_LINE = st.lists(_inline(2), min_size=1, max_size=6).map("".join)
_CELL = _LINE.map(lambda t: t.replace("\n", " "))


def _block(depth: int) -> st.SearchStrategy[str]:
    base = st.one_of(
        _LINE,
        _LINE.map(lambda t: "# " + t.replace("\n", " ")),
        st.lists(_WORD, min_size=1, max_size=3).map(lambda ws: "```py\n" + "\n".join(ws) + "\n```"),
        st.tuples(_CELL, _CELL, _CELL, _CELL).map(lambda c: f"| {c[0]} | {c[1]} |\n| --- | :-: |\n| {c[2]} | {c[3]} |"),
        st.just("***"),
    )
    if depth == 0:
        return base
    items = st.lists(_block(depth - 1), min_size=1, max_size=3)
    return st.one_of(
        base,
        items.map(lambda bs: "\n".join("- " + b.replace("\n", "\n  ") for b in bs)),
        items.map(lambda bs: "\n".join(f"{i + 1}. " + b.replace("\n", "\n   ") for i, b in enumerate(bs))),
        items.map(lambda bs: "\n\n".join("- " + b.replace("\n", "\n  ") for b in bs)),
        _block(depth - 1).map(lambda b: "> " + b.replace("\n", "\n> ")),
    )


_DOCUMENT = st.lists(_block(2), min_size=1, max_size=4).map("\n\n".join)
_SYNTAX = st.lists(
    st.sampled_from(
        [*"ab Z1 \n\n*_`[]()!#->+=|~\\&<:.;\"'", "\u00a0", "é", "http://x", "&amp;", "1. ", "- ", "# ", "```"]
    ),
    max_size=40,
).map("".join)


@PROPERTY
@given(st.one_of(_DOCUMENT, _SYNTAX))
def test_canonical_markdown_survives_write_then_read(source: str) -> None:
    canonical = html_to_markdown(markdown_to_html(source))  # what reading any rendered Markdown gives
    assert html_to_markdown(markdown_to_html(canonical)) == canonical


@PROPERTY
@given(st.text(max_size=60))
def test_any_text_reads_back_as_itself(text: str) -> None:
    """Plain text in a paragraph reads as Markdown that renders as the same text (white space as HTML shows it)."""
    shown = " ".join(text.replace("\r", " ").split(" "))
    html = "<p>" + shown.replace("&", "&amp;").replace("<", "&lt;") + "</p>"
    markdown = html_to_markdown(html)
    assert html_to_markdown(markdown_to_html(markdown)) == markdown


class _Audit(HTMLParser):
    TAGS = frozenset({"p", "br", "strong", "em", "s", "code", "pre", "a", "img", "ul", "ol", "li", "blockquote"}) | {
        *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td")
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            value = value or ""
            allowed = {
                "href": tag == "a",
                "src": tag == "img",
                "alt": tag == "img",
                "title": tag in ("a", "img"),
                "start": tag == "ol",
                "class": tag == "code" and value.startswith("language-"),
                "style": tag in ("th", "td") and re.fullmatch(r"text-align:(left|right|center)", value) is not None,
            }
            if not allowed.get(name, False):
                self.problems.append(f"attribute {name}={value!r} on {tag}")
            if name in ("href", "src"):
                scheme = re.match(r"([a-z][a-z0-9+.\-]*):", re.sub(r"[\x00-\x20\x7f]", "", value).lower())
                if scheme and scheme.group(1) not in richtext.SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r}")


_ATTACKS = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](<java\tscript:alert(1)>)",
        "[x](java&#9;script:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "![x](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "[x]: vbscript:msgbox(1)\n\n[x]",
        '<a href="javascript:alert(1)" onclick="x()">a</a>',
        '```js" onmouseover="alert(1)\n```',
        '[x](http://a "t\\" onmouseover=alert(1)")',
        "<iframe src=//evil>",
        "<style>*{}</style>",
        "file:///etc/passwd",
        "[f](file:///etc/passwd)",
    ]
)


@PROPERTY
@given(st.lists(st.one_of(_ATTACKS, _WORD, st.just("\n")), max_size=8).map("".join))
def test_rendering_never_produces_script_handlers_or_unsafe_links(source: str) -> None:
    audit = _Audit()
    audit.feed(markdown_to_html(source))
    assert audit.problems == []
    audit = _Audit()  # what reading GLPI HTML and writing it back produces is held to the same rules
    audit.feed(markdown_to_html(html_to_markdown(source)))
    assert audit.problems == []


# -- the models -------------------------------------------------------------------------------------


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the bodies converted (the models import the converter from glpi_python_client.richtext)."""
    seen: list[str] = []
    convert = richtext.html_to_markdown

    def counting(content: str | None) -> str:
        seen.append(content or "")
        return convert(content)

    monkeypatch.setattr(richtext, "html_to_markdown", counting)
    return seen


@pytest.mark.parametrize("model", [GetTicket, GetFollowup, GetTicketTask, GetSolution])
def test_read_models_read_content_as_markdown(model: Any, conversions: list[str]) -> None:
    item = model.model_validate({"id": 7, "content": "<p>Reproduced on the <b>lab</b> laptop.</p>"})
    assert conversions == []  # parsing converts nothing
    assert item.content == "Reproduced on the **lab** laptop."
    assert item.content_html == "<p>Reproduced on the <b>lab</b> laptop.</p>"
    assert item.content == "Reproduced on the **lab** laptop."
    assert len(conversions) == 1  # converted once, then cached
    dump = item.model_dump(mode="json")  # dumps hold both views
    assert (dump["content"], dump["content_html"]) == (item.content, item.content_html)
    assert "lab" not in repr(item).split("content_html=")[0]  # repr shows the stored HTML, converts nothing
    assert model.model_validate(item.model_dump()).content_html == item.content_html
    assert model.model_validate({"id": 1}).content is None
    assert model(id=1, content_html="<p>x</p>").content == model(id=1, content="<p>x</p>").content == "x"


def test_a_page_converts_nothing_until_a_body_is_read(conversions: list[str]) -> None:
    page = [GetFollowup.model_validate({"id": n, "content": f"<p>note {n}</p>"}) for n in range(500)]
    assert [f.id for f in page][-1] == 499 and conversions == []
    assert page[3].content == "note 3" and conversions == ["<p>note 3</p>"]


def test_a_copy_with_other_html_converts_again() -> None:
    followup = GetFollowup.model_validate({"id": 1, "content": "<p>old</p>"})
    assert followup.content == "old"
    copy = followup.model_copy(update={"content_html": "<p>new</p>"})
    assert (copy.content, followup.content) == ("new", "old")
    assert copy == GetFollowup.model_validate({"id": 1, "content": "<p>new</p>"})  # the cache is not compared


def test_a_body_that_cannot_be_converted_fails_only_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(content: str | None) -> str:
        if "bad" in (content or ""):
            raise RecursionError("maximum recursion depth exceeded")
        return "fine"

    monkeypatch.setattr(richtext, "html_to_markdown", broken)
    page = [GetFollowup.model_validate({"id": n, "content": "<p>bad</p>" if n == 2 else "<p>ok</p>"}) for n in (1, 2)]
    assert page[0].content == "fine"
    with pytest.raises(RichTextError) as caught:
        _ = page[1].content
    error = caught.value
    assert isinstance(error, GlpiError) and (error.model, error.record_id, error.field) == ("GetFollowup", 2, "content")
    assert "GetFollowup #2" in str(error) and ".content_html" in str(error)
    assert isinstance(error.__cause__, RecursionError)
    assert page[1].content_html == "<p>bad</p>"  # the stored body stays readable
    assert "content_html='<p>bad</p>'" in repr(page[1])  # repr converts nothing
    with pytest.raises(RichTextError, match="GetFollowup #2"):  # a dump holds the Markdown view: same error
        page[1].model_dump()


def test_write_models_render_markdown() -> None:
    assert PostFollowup(content="Reproduced on the lab laptop.").to_payload() == {
        "content": "<p>Reproduced on the lab laptop.</p>"
    }
    body = PostTicket(name="Disk", content="**Disk full** on `srv-1`:\n\n- /var 98%\n- /tmp 91%").to_payload()
    assert body == {
        "name": "Disk",
        "content": "<p><strong>Disk full</strong> on <code>srv-1</code>:</p>\n"
        "<ul>\n<li>/var 98%</li>\n<li>/tmp 91%</li>\n</ul>",
    }
    for model in (PostTicketTask, PostSolution, PatchFollowup, PatchTicket):
        assert model(content="a *b*").to_payload() == {"content": "<p>a <em>b</em></p>"}


def test_write_models_send_content_html_as_is() -> None:
    assert PatchTicket(content_html="<p>As <b>is</b></p>").to_payload() == {"content": "<p>As <b>is</b></p>"}
    assert PostFollowup(content_html=None).to_payload() == {"content": None}
    with pytest.raises(RichTextError, match="both content"):
        PostFollowup(content="a", content_html="<p>a</p>").to_payload()
    # extra_payload still has the last word
    assert PostFollowup(content="a", extra_payload={"content": "<p>raw</p>"}).to_payload() == {"content": "<p>raw</p>"}


def test_writing_back_what_was_read_changes_nothing() -> None:
    stored = "<p>__init__ failed in C:\\Temp for R&amp;D</p>\n<ul>\n<li>retry</li>\n</ul>"
    read = GetFollowup.model_validate({"id": 1, "content": stored})
    assert read.content == "\\_\\_init\\_\\_ failed in C:\\\\Temp for R&D\n\n- retry"
    assert PatchFollowup(content=read.content).to_payload() == {"content": stored}


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_generated_itemtype_models_read_and_write_markdown(mode: str) -> None:
    """Every ``format: html`` property of the document (Problem, Change, Project...) reads and writes Markdown too."""
    import asyncio

    from glpi_python_client.testing import GlpiSimulator

    sim = GlpiSimulator()

    async def scenario() -> Any:
        body = {"name": "Disk errors", "content": "**SMART** warnings on `sda`"}
        if mode == "sync":
            with sim.sync_client() as client:
                problem_id = client.assistance.problems.create(body)
                return client.assistance.problems.get(problem_id)
        async with sim.async_client() as aclient:
            problem_id = await aclient.assistance.problems.create(body)
            return await aclient.assistance.problems.get(problem_id)

    problem = asyncio.run(scenario())
    sent = next(r for r in sim.requests if r.method == "POST" and r.url.path.endswith("/Assistance/Problem"))
    assert json.loads(sent.content)["content"] == "<p><strong>SMART</strong> warnings on <code>sda</code></p>"
    assert problem.content_html == "<p><strong>SMART</strong> warnings on <code>sda</code></p>"
    assert problem.content == "**SMART** warnings on `sda`"
