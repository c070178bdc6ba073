"""Charts as SVG, drawn on the server with pygal: bars and lines a person reads at a glance, with a
`<title>` and a `<desc>` that say in words what the bars show, and every label as text (not
paths), so screen readers and search can read them. No script: pygal's tooltips would load
JavaScript from elsewhere."""

from collections.abc import Mapping, Sequence
from xml.etree import ElementTree

import pygal
from pygal.style import Style

SVG = "http://www.w3.org/2000/svg"
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c"),
    font_family="Arial, Helvetica, sans-serif",
    title_font_size=18,
    label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
)
"""High-contrast colours (those of the GOV.UK palette), each distinct from the others."""


Series = Mapping[str, Sequence[float | None]]
"""Name -> one value per label (None: nothing to show for that label)."""


def bars(title: str, labels: Sequence[str], series: Series, *, unit: str) -> bytes:
    """Grouped bars: one group per label, one bar per series, values printed on the bars."""
    return _render(pygal.Bar, title, labels, series, unit)


def lines(title: str, labels: Sequence[str], series: Series, *, unit: str) -> bytes:
    """A line per series across the labels, with dots and values printed at them."""
    return _render(pygal.Line, title, labels, series, unit)


def _render(
    kind: type[pygal.Bar] | type[pygal.Line],
    title: str,
    labels: Sequence[str],
    series: Series,
    unit: str,
) -> bytes:
    chart = kind(
        style=STYLE,
        title=title,
        x_labels=list(labels),
        print_values=True,
        js=[],
        width=800,
        height=400,
        legend_at_bottom=True,
        show_y_guides=True,
        disable_xml_declaration=True,
    )
    for name, values in series.items():
        chart.add(name, list(values))
    return _accessible(chart.render(), title, _description(labels, series, unit))


def _description(labels: Sequence[str], series: Series, unit: str) -> str:
    if not labels:
        return "No figures yet."
    parts = []
    for n, label in enumerate(labels):
        said = ", ".join(
            f"{name} {'none' if values[n] is None else number(values[n])}"  # type: ignore[arg-type]
            for name, values in series.items()
        )
        parts.append(f"{label}: {said}")
    return f"In {unit}. " + "; ".join(parts) + "."


def number(value: float) -> str:
    """As people read it: 1,234,567 and 12.5, never 1.23457e+06."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _accessible(svg: bytes | str, title: str, description: str) -> bytes:
    """The chart as an image with a name and a description (`role`, `aria-labelledby`)."""
    ElementTree.register_namespace("", SVG)
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ElementTree.fromstring(svg)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG}}}script":  # pygal's config: inert without its JavaScript
                parent.remove(child)
    for old in root.findall(f"{{{SVG}}}title") + root.findall(f"{{{SVG}}}desc"):
        root.remove(old)
    chart = root.get("id", "chart")  # pygal's own, unique: several charts may share a page
    named = ElementTree.Element(f"{{{SVG}}}title", {"id": f"{chart}-title"})
    named.text = title
    described = ElementTree.Element(f"{{{SVG}}}desc", {"id": f"{chart}-desc"})
    described.text = description
    root.insert(0, described)
    root.insert(0, named)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart}-title {chart}-desc")
    return bytes(ElementTree.tostring(root, encoding="utf-8"))
