"""Reading a served page as a person sees it: its elements by tag and class,
and their text with the whitespace a browser would collapse, parsed with
the standard library's HTML parser (which decodes ``&lt;`` and the like, as a
browser shows them); and the helpers the page tests share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx

VOID = {"meta", "link", "input", "br", "img", "hr"}
"""HTML elements without an end tag (SVG shapes close themselves: `<line />`)."""
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [child if isinstance(child, str) else child.text for child in self.children]
        return re.sub(r"\s+", " ", " ".join(parts)).strip()

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        """Every element below this one of that tag and class, in document order."""
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                    found.append(child)
                found += child.all(tag, cls)
        return found

    def one(self, tag: str | None = None, cls: str | None = None) -> Element:
        (found,) = self.all(tag, cls)
        return found

    def texts(self, tag: str | None = None, cls: str | None = None) -> list[str]:
        return [element.text for element in self.all(tag, cls)]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self._open[-1].children.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while len(self._open) > 1:
            if self._open.pop().tag == tag:
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


def read_page(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def page(client: httpx.Client, url: str, status: int = 200) -> Element:
    """The page at ``url``, which must answer ``status`` as HTML under the pages' policy."""
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Security-Policy"] == CSP
    return read_page(response.text)


def url(path: str, **query: str) -> str:
    return str(httpx.URL(path, params=query))


def register_rows(shown: Element) -> dict[str, list[str]]:
    """The register's rows by partnership name, each as its cells' texts."""
    return {row.all("td")[0].text: [cell.text for cell in row.all("td")] for row in shown.all("tr", "partnership")}


def field_values(shown: Element, name: str) -> list[str]:
    """The values of the page's form fields of that name (visible or carried along)."""
    return [field.attrs["value"] for field in shown.all("input") if field.attrs.get("name") == name]
