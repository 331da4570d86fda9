"""The figures against worked values (satisfaction/stats.py is pure: no database)."""

import math

import pytest

from satisfaction import stats


def test_nps_of_five_promoters_three_passives_two_detractors_is_30_from_minus_19_to_65():
    figure = stats.nps_figure(5, 3, 2, minimum=5)
    assert figure.value == pytest.approx(30.0)
    # p~ = 5.75/13, q~ = 2.75/13, NPS~ = 0.2308, var = (0.6538 - 0.0533)/13 = 0.04619
    assert figure.low == pytest.approx(-19.04, abs=0.05)
    assert figure.high == pytest.approx(65.2, abs=0.05)
    assert figure.n == 10
    assert figure.indicative  # a margin of about 42 points


def test_nps_interval_is_clipped_to_the_scale():
    low, high = stats.nps_interval(3, 0, 0)
    assert high == 100.0
    assert low > -100.0
    low, high = stats.nps_interval(0, 0, 2)
    assert low == -100.0


def test_a_large_sample_gives_a_narrow_interval_that_is_not_indicative():
    figure = stats.nps_figure(500, 300, 200, minimum=5)
    assert figure.value == pytest.approx(30.0)
    assert figure.margin_points < 6
    assert not figure.indicative


def test_csat_is_the_share_of_four_and_five_with_the_wilson_interval():
    figure = stats.csat_figure(8, 10, minimum=5)
    assert figure.value == pytest.approx(80.0)
    # Wilson, z = 1.96, p = 0.8, n = 10: 0.4902 .. 0.9433
    assert figure.low == pytest.approx(49.0, abs=0.1)
    assert figure.high == pytest.approx(94.3, abs=0.1)
    assert figure.indicative


def test_wilson_of_all_successes_stays_below_one_at_the_low_end():
    low, high = stats.wilson_interval(20, 20)
    assert high == pytest.approx(1.0)
    assert low == pytest.approx(0.8389, abs=0.001)


def test_below_the_minimum_a_figure_has_no_value_and_no_interval():
    figure = stats.nps_figure(4, 0, 0, minimum=5)
    assert figure.suppressed
    assert figure.value is None and figure.low is None and figure.high is None
    assert not figure.indicative
    assert figure.as_dict() == {
        "n": 4,
        "suppressed": True,
        "value": None,
        "low": None,
        "high": None,
        "indicative": False,
    }
    assert stats.csat_figure(2, 2, minimum=3).value is None
    assert stats.average_figure(8, 32, 2, scale=(1, 5), minimum=3).value is None


def test_at_the_minimum_a_figure_is_shown():
    assert stats.nps_figure(5, 0, 0, minimum=5).value == 100.0
    assert stats.csat_figure(0, 5, minimum=5).value == 0.0


def test_average_with_its_interval_and_its_margin_in_points_of_the_scale():
    values = [4, 5, 3, 4, 4, 5, 2, 4]
    total, squares = sum(values), sum(v * v for v in values)
    figure = stats.average_figure(total, squares, len(values), scale=(1, 5), minimum=5)
    mean = total / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
    assert figure.value == pytest.approx(3.875)
    assert figure.high - figure.value == pytest.approx(1.96 * sd / math.sqrt(8), abs=0.001)
    # a margin of 0.66 on a range of 4 is 16.5 points: not indicative
    assert figure.margin_points == pytest.approx(100 * 1.96 * sd / math.sqrt(8) / 4, abs=0.1)
    assert not figure.indicative


def test_response_rate_is_responses_per_invitation_delivered():
    assert stats.response_rate(3, 12) == pytest.approx(25.0)
    assert stats.response_rate(0, 0) is None


def test_account_weighted_nps_counts_each_customer_once():
    # A big customer of 20 promoters, two small ones of one detractor each: by answers the NPS
    # is (20 - 2) / 22 = 82; by customer (100 - 100 - 100) / 3 = -33.
    per_customer = [(20, 0, 0), (0, 0, 1), (0, 0, 1)]
    assert stats.nps_value(20, 0, 2) == pytest.approx(81.8, abs=0.1)
    figure = stats.account_weighted_nps(per_customer, minimum=1)
    assert figure.value == pytest.approx(-33.33, abs=0.01)
    assert figure.n == 22
    assert figure.indicative


def test_account_weighted_nps_is_suppressed_below_the_minimum_answers():
    figure = stats.account_weighted_nps([(1, 0, 0), (0, 1, 0)], minimum=5)
    assert figure.suppressed and figure.value is None


def test_account_weighted_nps_of_one_customer_has_the_whole_scale_as_interval():
    figure = stats.account_weighted_nps([(6, 0, 0)], minimum=5)
    assert figure.value == 100.0
    assert (figure.low, figure.high) == (-100.0, 100.0)


def test_account_weighted_nps_leaves_out_a_customer_below_the_minimum():
    # Finance's 10 answers give 30; Logistics' one promoter must not move the mean (it would
    # give that one answer away).
    figure = stats.account_weighted_nps([(5, 3, 2), (1, 0, 0)], minimum=5)
    assert figure.value == pytest.approx(30.0)
    assert figure.n == 10
