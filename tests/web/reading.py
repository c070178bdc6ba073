"""Reading a rendered page as a person would: its title, its words, its links, what each field
holds and what is said next to it."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
UNREAD = {"script", "style", "template"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list["Element | str"] = field(default_factory=list)

    @property
    def text(self) -> str:
        if self.tag in UNREAD:
            return ""
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def walk(self) -> list["Element"]:
        found = [self]
        for c in self.children:
            if isinstance(c, Element):
                found.extend(c.walk())
        return found


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


class Page:
    def __init__(self, html: str) -> None:
        builder = _Builder()
        builder.feed(html)
        self.html = html
        self.elements = builder.root.walk()
        self.text = builder.root.text

    def by_id(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.attrs.get("id") == element_id), None)

    def text_of(self, element_id: str) -> str:
        element = self.by_id(element_id)
        assert element is not None, f"no element #{element_id}"
        return element.text

    def with_class(self, name: str) -> list[Element]:
        return [e for e in self.elements if name in e.classes]

    @property
    def title(self) -> str:
        return next(e.text for e in self.elements if e.tag == "title")

    @property
    def h1(self) -> str:
        return next(e.text for e in self.elements if e.tag == "h1")

    def links(self) -> dict[str, str]:
        """Each link's words to where it goes."""
        return {e.text: e.attrs.get("href", "") for e in self.elements if e.tag == "a"}

    def result_titles(self) -> list[str]:
        """The titles of a listing's results, in order."""
        return [
            e.text
            for item in self.with_class("app-results__item")
            for e in item.walk()
            if e.tag == "a"
        ]

    def chosen(self, select_id: str) -> str | None:
        """The value a select box shows as chosen."""
        select = self.by_id(select_id)
        assert select is not None and select.tag == "select", f"no select #{select_id}"
        for option in select.walk():
            if option.tag == "option" and "selected" in option.attrs:
                return option.attrs.get("value")
        return None

    def options(self, select_id: str) -> dict[str, str]:
        select = self.by_id(select_id)
        assert select is not None, f"no select #{select_id}"
        return {o.attrs.get("value", ""): o.text for o in select.walk() if o.tag == "option"}

    def error_next_to(self, field_id: str) -> str | None:
        """The message shown with a field (the GOV.UK error message, `<id>-error`), which the
        field names in its aria-describedby."""
        field_element = self.by_id(field_id)
        assert field_element is not None, f"no field #{field_id}"
        message = self.by_id(f"{field_id}-error")
        if message is None:
            return None
        assert f"{field_id}-error" in field_element.attrs.get("aria-describedby", "").split()
        return message.text.removeprefix("Error:").strip()

    def error_summary(self) -> dict[str, str]:
        """The error summary's messages, to the field each links to."""
        summaries = self.with_class("govuk-error-summary")
        if not summaries:
            return {}
        return {e.text: e.attrs.get("href", "") for e in summaries[0].walk() if e.tag == "a"}
