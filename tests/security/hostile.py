"""The hostile-content corpus: templates × variants, built in code (reliability reference §7.3).

Every remote address points at a loopback spy server and every local one at a canary file, so
a harness can prove that rendering reached neither. Samples come in the formats platforms send:
HTML (Teams, Discourse ``cooked``, Matrix ``formatted_body``, Zulip, Viva Engage), Markdown
(Mattermost, Zulip raw) and Slack mrkdwn, the last two as the connectors turn them into text.
"""

from __future__ import annotations

import base64
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    """One hostile post body."""

    id: str
    kind: str
    """``html`` (the platform's rich body), ``text``, ``markdown`` or ``mrkdwn``."""
    body: str
    bomb: bool = False


@dataclass(frozen=True)
class Targets:
    """Where hostile references point: the spy server and the canary files."""

    spy_host: str
    """``127.0.0.1:PORT`` of a listener that counts every connection."""
    canary_dir: Path

    @property
    def image(self) -> Path:
        return self.canary_dir / "canary.png"

    @property
    def style(self) -> Path:
        return self.canary_dir / "canary.css"


def png(width: int, height: int) -> bytes:
    """A real PNG of a telling size (7×5): if any renderer decoded it, its size would show."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00\xff" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


DATA_PNG = base64.b64encode(png(7, 5)).decode("ascii")
DATA_SVG = base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="7" height="5">'
    b'<rect width="7" height="5"/></svg>'
).decode("ascii")


def resource_urls(t: Targets) -> list[str]:
    spy = t.spy_host
    image, style = t.image.as_posix(), t.style.as_posix()
    return [
        # remote (all to the spy)
        f"http://{spy}/pixel.png",
        f"https://{spy}/pixel.png",
        f"//{spy}/pixel.png",
        f"HtTp://{spy}/pixel.png?u=1#f",
        f"http://localhost:{spy.rsplit(':', 1)[1]}/pixel.png",
        f"http://{spy}/style.css",
        # local files
        f"file://{image}",
        f"file:{image}",
        f"FILE://{image}",
        image,
        style,
        "canary.png",
        "./sub/../canary.png",
        f"../{t.canary_dir.name}/canary.png",
        "qrc:/icons/app.png",
        ":/icons/app.png",
        # UNC and SMB (an NTLM leak on Windows)
        f"\\\\{spy.split(':')[0]}\\share\\pixel.png",
        f"file://{spy.split(':')[0]}/share/pixel.png",
        f"smb://{spy.split(':')[0]}/share/pixel.png",
        # data: (must never be decoded)
        f"data:image/png;base64,{DATA_PNG}",
        f"DATA:image/png;base64,{DATA_PNG}",
        f" data:image/svg+xml;base64,{DATA_SVG}",
        "data:text/css,body%7Bbackground:red%7D",
        # our own scheme, and one no one knows
        "cmc-cache:0123456789abcdef",
        "javascript:alert(1)",
    ]


RESOURCE_TEMPLATES = [
    '<img src="{u}">',
    "<img src='{u}' alt='x'>",
    "<img src={u}>",
    '<IMG SRC="{u}" WIDTH=1 HEIGHT=1>',
    '<img srcset="{u} 2x" src="{u}">',
    '<picture><source srcset="{u}"><img src="{u}"></picture>',
    '<link rel="stylesheet" href="{u}">',
    "<style>@import url({u});</style>",
    "<style>@import '{u}';</style>",
    "<style>p {{ background: url({u}) }}</style><p>styled</p>",
    '<p style="background-image:url({u})">inline style</p>',
    "<span style=\"list-style-image:url('{u}')\">list</span>",
    '<body background="{u}"><p>body</p></body>',
    '<table background="{u}"><tr><td background="{u}">cell</td></tr></table>',
    '<svg><image href="{u}" width="7" height="5"/></svg>',
    '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="{u}#a"/></svg>',
    '<object data="{u}"></object>',
    '<embed src="{u}">',
    '<iframe src="{u}"></iframe>',
    '<video poster="{u}" src="{u}"></video>',
    '<input type="image" src="{u}">',
    '<meta http-equiv="refresh" content="0;url={u}">',
    '<base href="{u}"><img src="pixel.png">',
    '<a href="https://intranet.example/"><img src="{u}"></a>',
    "<!--[if IE]><img src='{u}'><![endif]--><p>conditional</p>",
    "<![CDATA[<img src='{u}'>]]><p>cdata</p>",
    "<noscript><img src='{u}'></noscript>",
    "<template><img src='{u}'></template>",
    "<textarea><img src='{u}'></textarea>",
    "<xmp><img src='{u}'></xmp>",
    '<img src="x" onerror="this.src=\'{u}\'">',
    '<div style="width:expression(url({u}))">ie</div>',
]

MARKDOWN_TEMPLATES = ["![x]({u})", "![x][r]\n\n[r]: {u}", "<{u}>", "[click]({u})"]

LINK_HREFS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java&#x09;script:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "file://127.0.0.1/share/x",
    "smb://127.0.0.1/share",
    "ms-msdt:/id PCWDiagnostic",
    "search-ms:query=invoice&crumb=location:\\\\127.0.0.1\\share",
    "ms-settings:privacy",
    "ms-officecmd:open",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "jar:file:///tmp/x.zip!/x",
    "ftp://127.0.0.1/x",
    "ssh://127.0.0.1",
    "tel:+31000000000",
    "intent://scan/#Intent;scheme=zxing;end",
    "chrome://settings",
    "about:blank",
    "view-source:https://intranet.example/",
    "blob:https://intranet.example/4f3c",
    "qrc:/icons/app.png",
    "../relative/path",
    "/absolute/path",
    "#fragment",
    "//evil.example/x",
    "\\\\evil.example\\share",
    "https://evil.example\\@bank.example/",
    "https://bank.example@evil.example/login",
    "https:evil.example",
    "https://evil.example/login",
    "https://bank.example.evil.example/login",
    "https://аpple.com/",
    "https://xn--pple-43d.com/",
    "https://раураl.com/",
    "https://evil.example/\u202egnp.exe",
    "https://ex\u200bample.com/",
    "http://intranet.example/ok",
    "mailto:hr@evil.example",
    "MAILTO:hr@bank.example?subject=x",
    'https://intranet.example/t/1?x=<b>&y="',
    "HTTPS://INTRANET.EXAMPLE/T/2",
]

LINK_TEXTS = ["click here", "https://bank.example/login", "bank.example", "аpple.com"]


def _link_samples(kind: str, href: str, text: str) -> str:
    if kind == "html":
        return f'<p>Look: <a href="{href}">{text}</a></p>'
    if kind == "mrkdwn":
        return f"Look: <{href}|{text}>"
    if kind == "markdown":
        return f"Look: [{text}]({href})"
    return f"Look: {href} ({text})"


BOMBS = [
    ("nested-tables", "html", "<table><tr><td>" * 200 + "x" + "</td></tr></table>" * 200),
    ("10k-divs", "html", "<div>" * 10_000 + "deep" + "</div>" * 10_000),
    ("10k-siblings", "html", "<p>x</p>" * 10_000),
    ("colspan", "html", '<table><tr><td colspan="1000000" rowspan="1000000">x</td></tr></table>'),
    ("font-size", "html", '<font size="1000000">' + "big " * 5_000 + "</font>"),
    ("style-size", "html", '<span style="font-size:100000px">x</span>' * 100),
    ("1mb-line", "html", "<p>" + "A" * 1_000_000 + "</p>"),
    ("1mb-text-line", "text", "A" * 1_000_000),
    ("unclosed", "html", "<b><i><u><span>" * 12_500),
    ("nested-lists", "html", "<ul><li>" * 5_000 + "x" + "</li></ul>" * 5_000),
    ("headings", "html", "<h1>h</h1>" * 10_000),
    ("entities", "html", "&amp;&lt;&#x202e;&#0;&#xD800;" * 20_000),
    ("brs", "html", "<br>" * 50_000),
    ("quotes", "text", ">" * 10_000 + " deep quote"),
    ("quote-lines", "text", "> line\n" * 20_000),
    ("text-lines", "text", "x\n" * 50_000),
    ("pre-lines", "html", "<pre>" + "line\n" * 20_000 + "</pre>"),
    ("code-fence-lines", "markdown", "```\n" + "line\n" * 20_000 + "```\n"),
    ("zalgo", "text", "Z" + "\u0336\u0337\u0338\u0489" * 25_000),
    ("zwj-emoji", "text", "👩\u200d👩\u200d👧\u200d👦" * 20_000),
    ("bidi-flood", "text", "\u202e\u2066\u202d" * 30_000 + "end"),
    ("comment-tricks", "html", "<!-- --!><img src=x> -->" * 2_000),
    ("10mb-body", "html", "<p>" + "word " * 2_000_000 + "</p>"),
    ("10mb-text", "text", "word " * 2_000_000),
    ("many-links", "html", '<a href="https://intranet.example/">l</a>' * 20_000),
    ("many-urls", "text", "https://intranet.example/x " * 40_000),
    ("deep-blockquotes", "html", "<blockquote>" * 20_000 + "q"),
    ("attr-flood", "html", "<span " + " ".join(f"a{i}=x" for i in range(50_000)) + ">x</span>"),
    ("svg-bomb", "html", "<svg>" + "<g>" * 50_000 + "</svg>"),
    ("md-nested-lists", "markdown", "".join("  " * i + "- x\n" for i in range(2_000))),
    ("mrkdwn-links", "mrkdwn", "<https://intranet.example/|x>" * 20_000),
]

MISC = [
    ("script", "html", "<script>alert(1)</script><p>after</p>"),
    ("script-split", "html", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("svg-script", "html", "<svg><script>alert(1)</script></svg>"),
    ("onerror", "html", "<img src=x onerror=alert(1)>"),
    ("form", "html", '<form action="http://127.0.0.1:9/"><input name=p type=password></form>'),
    ("bidi-name", "html", "<p>\u202eevil.exe\u202c fdp.txt</p>"),
    ("bidi-link", "html", '<a href="https://intranet.example/">\u202egro.elpmaxe-knab</a>'),
    ("rtl-isolates", "text", "\u2067admin\u2069 said \u2066hello\u2069"),
    ("nul", "text", "a\x00b\x00c"),
    ("lone-surrogate-entity", "html", "<p>&#xD800;&#xDFFF;</p>"),
    ("mathml", "html", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    ("object-param", "html", '<object><param name="src" value="file:///etc/passwd"></object>'),
    ("style-attr-js", "html", '<p style="behavior:url(#default#VML)">x</p>'),
    ("md-raw-html", "markdown", "<img src=x onerror=alert(1)>\n\n<div>raw</div>"),
    ("md-autolink-file", "markdown", "<file:///etc/passwd>"),
    ("md-ref", "markdown", "[a][b]\n\n[b]: javascript:alert(1)"),
    ("mrkdwn-special", "mrkdwn", "<!channel> <!subteam^S1|@admins> <@U1|<b>boss</b>>"),
]


def corpus(t: Targets) -> list[Sample]:
    """Every sample, in a stable order."""
    samples: list[Sample] = []
    for ti, template in enumerate(RESOURCE_TEMPLATES):
        for ui, url in enumerate(resource_urls(t)):
            samples.append(Sample(f"res-{ti}-{ui}", "html", template.format(u=url)))
    for ti, template in enumerate(MARKDOWN_TEMPLATES):
        for ui, url in enumerate(resource_urls(t)):
            samples.append(Sample(f"md-{ti}-{ui}", "markdown", template.format(u=url)))
    samples.extend(
        Sample(f"link-{kind}-{hi}-{xi}", kind, _link_samples(kind, href, text))
        for hi, href in enumerate(LINK_HREFS)
        for xi, text in enumerate(LINK_TEXTS)
        for kind in ("html", "mrkdwn", "markdown", "text")
    )
    for name, kind, body in MISC:
        samples.append(Sample(f"misc-{name}", kind, body))
    for name, kind, body in BOMBS:
        samples.append(Sample(f"bomb-{name}", kind, body, bomb=True))
    return samples


def link_samples() -> list[tuple[str, str]]:
    """(href, link text) pairs for the link harness."""
    return [(href, text) for href in LINK_HREFS for text in LINK_TEXTS]
