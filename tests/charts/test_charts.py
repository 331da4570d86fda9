"""The server-drawn charts: well-formed SVG with a title and a description, bars and points where
the figures are, and the same figures in the table beside them."""

import re
import xml.etree.ElementTree as ET

from django.template import Context, Template

from brm.charts.svg import Point, bar_chart_svg, trend_chart_svg

NS = {"svg": "http://www.w3.org/2000/svg"}

POINTS = [
    Point("Finance", 30.0, -19.0, 65.0, n=10, indicative=True),
    Point("Logistics <Ops>", None, n=2, note="fewer than 5 answers"),
    Point("Sales", -12.5, -20.0, -5.0, n=120),
]


def test_bar_chart_is_an_image_with_a_title_a_description_and_a_bar_per_shown_figure():
    svg = bar_chart_svg(
        POINTS, title="NPS per customer", desc="NPS from -100 to 100", domain=(-100, 100)
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title.text == "NPS per customer" and desc.text == "NPS from -100 to 100"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    rects = root.findall("svg:rect", NS)
    assert len(rects) == 2  # the held-back figure has no bar
    assert rects[0].get("fill-opacity") == "0.45"  # indicative: pale
    assert rects[1].get("fill-opacity") == "1"
    texts = [t.text for t in root.findall("svg:text", NS)]
    assert "~30" in texts and "-12.5" in texts
    assert "fewer than 5 answers" in texts
    assert "Logistics <Ops>" in texts  # escaped in the markup, the text itself in the tree
    assert "<Ops>" not in svg
    assert " style=" not in svg


def test_a_negative_bar_is_drawn_to_the_left_of_zero():
    svg = bar_chart_svg([Point("A", -50.0)], title="t", domain=(-100, 100))
    rect = ET.fromstring(svg).find("svg:rect", NS)
    zero = ET.fromstring(svg).find("svg:line", NS)
    assert float(rect.get("x")) + float(rect.get("width")) == float(zero.get("x1"))


def test_trend_chart_joins_the_shown_points_and_breaks_at_a_missing_one():
    points = [
        Point("Q1", 10.0, 0.0, 20.0),
        Point("Q2", 20.0),
        Point("Q3", None, note="-"),
        Point("Q4", 40.0),
    ]
    root = ET.fromstring(trend_chart_svg(points, title="NPS per campaign", domain=(-100, 100)))
    assert root.get("role") == "img"
    assert len(root.findall("svg:circle", NS)) == 3
    [line] = root.findall("svg:polyline", NS)
    assert len(line.get("points").split()) == 2  # Q1-Q2; Q4 stands alone


def test_the_tags_draw_the_chart_and_the_table_of_its_figures():
    html = Template(
        "{% load brm_charts %}{% bar_chart points title='NPS' domain_low=-100 domain_high=100 %}"
        "{% trend_chart points title='Trend' domain_low=-100 domain_high=100 %}"
    ).render(Context({"points": POINTS}))
    assert html.count("<svg") == 2 and html.count("<table") == 2
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", html, re.S)
    first = dict(rows[:3])
    assert (
        "30" in first["Finance"]
        and "-19 to 65" in first["Finance"]
        and "indicative" in first["Finance"]
    )
    assert "fewer than 5 answers" in first["Logistics &lt;Ops&gt;"]
    assert "-12.5" in first["Sales"]
