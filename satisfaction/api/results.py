"""GET /api/v1/campaigns/{id}/results/: a campaign's figures, as the staff results page shows
them (satisfaction.results.campaign_results): the same suppression below the office's minimum,
the same indicative marks, comments as the campaign's anonymity mode allows.

`CampaignResultsMixin` holds the action; the campaigns' viewset (list, detail, writes) takes it in.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from satisfaction import results
from satisfaction.models import Campaign


class FigureSerializer(serializers.Serializer):
    """One figure: its value and 95 % interval, or none of them below the minimum answers."""

    n = serializers.IntegerField(help_text="The number of answers behind the figure.")
    suppressed = serializers.BooleanField(
        help_text="Fewer answers than the office's minimum: no value is given."
    )
    value = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True, help_text="The 95 % interval's low end.")
    high = serializers.FloatField(allow_null=True, help_text="The 95 % interval's high end.")
    indicative = serializers.BooleanField(
        help_text="The interval reaches more than 20 points either side."
    )


class SliceSerializer(serializers.Serializer):
    """The figures of a slice of the responses: all of them, one customer's, one campaign's."""

    label = serializers.CharField()
    responses = serializers.IntegerField()
    delivered = serializers.IntegerField(help_text="Invitations delivered.")
    response_rate = serializers.FloatField(
        allow_null=True, help_text="Responses per invitation delivered, in percent."
    )
    nps = FigureSerializer(help_text="NPS in points (-100..100), adjusted Wald interval.")
    csat = FigureSerializer(help_text="The share of 4-5 answers in percent, Wilson interval.")
    effort = FigureSerializer(help_text="The average effort (1-7).")


class CustomerSliceSerializer(SliceSerializer):
    """One customer's figures in the campaign."""

    customer = serializers.IntegerField()


class TrendPointSerializer(SliceSerializer):
    """One closed campaign of the line, with its figures."""

    campaign = serializers.IntegerField()
    closes_at = serializers.DateTimeField()


class ServiceRatingSerializer(serializers.Serializer):
    """The ratings one catalogue service was given."""

    service = serializers.IntegerField()
    name = serializers.CharField()
    rating = FigureSerializer(help_text="The average rating (1-5).")
    satisfied = FigureSerializer(help_text="The share of 4-5 ratings in percent.")


class CommentSerializer(serializers.Serializer):
    """A free-text answer, with whom it came from where the anonymity mode allows."""

    text = serializers.CharField()
    question = serializers.CharField()
    customer = serializers.CharField(
        allow_null=True, help_text="None when naming it could give the respondent away."
    )
    who = serializers.CharField(allow_null=True, help_text="Attributed campaigns only.")


class CampaignResultsSerializer(serializers.Serializer):
    """The results of one campaign (satisfaction.results)."""

    campaign = serializers.IntegerField()
    anonymity = serializers.ChoiceField(choices=Campaign.Anonymity.choices)
    minimum_answers = serializers.IntegerField()
    overall = SliceSerializer()
    account_weighted_nps = FigureSerializer(
        help_text="The mean of the customers' own NPS: each customer counts once."
    )
    customers = CustomerSliceSerializer(many=True)
    services = ServiceRatingSerializer(many=True)
    comments = CommentSerializer(many=True)
    comments_count = serializers.IntegerField()
    comments_withheld = serializers.BooleanField(
        help_text="Confidential and anonymous campaigns show comments from the minimum on."
    )
    trend = TrendPointSerializer(
        many=True, help_text="The closed campaigns of its line (repeats, survey versions)."
    )


class CampaignResultsMixin:
    @extend_schema(
        summary="A campaign's results",
        description="Response rate (responses per invitation delivered), NPS with its adjusted "
        "Wald 95 % interval, CSAT (the share of 4-5) with its Wilson interval, the effort "
        "average, per customer and per service, the account-weighted NPS, comments and the "
        "trend of the campaign's line. A figure from fewer answers than the office's minimum "
        "has no value (`suppressed`); one whose interval reaches more than 20 points either "
        "side is `indicative`. Confidential and anonymous campaigns give no per-person data.",
        request=None,
        responses={200: CampaignResultsSerializer},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def results(self, request, pk=None):
        # The campaign alone: the list's counts are not needed (a bad id is a 404, as DRF's).
        campaign = get_object_or_404(Campaign.objects.select_related("survey"), pk=pk)
        found = results.campaign_results(campaign)
        return Response(CampaignResultsSerializer(found.as_dict()).data)
