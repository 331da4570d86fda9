"""Checks that the results page's floor (bench/satisfaction/floor.py) gives the page's figures:
satisfaction.results.campaign_results, which the page and the API show. Raises
bench.contract.FloorMismatch with what differs."""

from bench.contract import FloorMismatch
from satisfaction import results
from satisfaction.models import Campaign

from .floor import campaign_results_rows


def _figure(f) -> tuple:
    return f.as_dict()["value"], f.as_dict()["low"], f.as_dict()["high"], f.n


def check_campaign_results(tenant_id: int, campaign_id: int) -> None:
    """Run inside the office's tenant_context."""
    page = results.campaign_results(Campaign.objects.get(pk=campaign_id))
    floor = campaign_results_rows(tenant_id, campaign_id)
    o = page.overall
    expected = [
        (o.responses, o.delivered),
        *[_figure(f) for f in (o.nps, o.csat, o.effort)],
    ]
    fo = floor["overall"]
    got = [
        (fo["responses"], fo["delivered"]),
        *[_figure(fo[k]) for k in ("nps", "csat", "effort")],
    ]
    if expected != got:
        raise FloorMismatch(f"campaign figures: page {expected}, floor {got}")
    expected = [
        (s.key, s.label, s.responses, s.delivered, _figure(s.nps), _figure(s.csat))
        for s in page.customers
    ]
    got = [
        (c["id"], c["name"], c["responses"], c["delivered"], _figure(c["nps"]), _figure(c["csat"]))
        for c in floor["customers"]
    ]
    if expected != got:
        diff = next((a, b) for a, b in zip(expected + [None], got + [None], strict=False) if a != b)
        raise FloorMismatch(f"per customer: page {diff[0]}, floor {diff[1]}")
    expected = [(s.label, _figure(s.rating), _figure(s.satisfied)) for s in page.services]
    got = [(s["name"], _figure(s["rating"]), _figure(s["satisfied"])) for s in floor["services"]]
    if expected != got:
        raise FloorMismatch(f"services: page {expected}, floor {got}")
    expected = [(c.text, c.customer, c.who) for c in page.comments]
    got = [(c["text"], c["customer"], c["who"]) for c in floor["comments"]]
    if expected != got or page.comments_count != floor["comments_count"]:
        raise FloorMismatch("comments differ")
    expected = [(p.key, _figure(p.nps)) for p in page.trend]
    got = [(t["id"], _figure(t["nps"])) for t in floor["trend"]]
    if expected != got:
        raise FloorMismatch(f"trend: page {expected}, floor {got}")
