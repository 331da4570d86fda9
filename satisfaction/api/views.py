"""API of the satisfaction area: surveys (with their questions), campaigns (drafts are made
and changed here) and the responses of attributed campaigns, through the same services as the
staff pages.

A key acts for the office as the person who made it. Responses are listed one per person only
for attributed campaigns: a confidential campaign's staff see aggregates only, and an anonymous
one's responses are linked to nobody, so neither is listed here (their figures are in the
results).
"""

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from brm.api.viewsets import RowListModelMixin, TenantGenericViewSet
from brm.tenancy.models import Membership
from satisfaction import campaigns, listing, surveys
from satisfaction.models import Answer, Campaign, Invitation, Question, Response, Survey

from . import filters, serializers
from .results import CampaignResultsMixin  # GET /api/v1/campaigns/{id}/results/


def _actor(request):
    """A person signed in (their membership), or the person who made the key."""
    if isinstance(request.auth, Membership):
        return request.auth
    return getattr(request.auth, "created_by", None)


SURVEY = serializers.SurveySerializer
CAMPAIGN = serializers.CampaignSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List surveys",
        description="The office's surveys, every version, by name. Filter by `name` (a part "
        "of it) and `frozen`; `ordering` by name, updated.",
    ),
    retrieve=extend_schema(summary="One survey", description="A survey with its questions."),
    create=extend_schema(
        summary="Create a survey",
        description="A survey with its questions in order (`questions`, optional). Audited.",
    ),
    partial_update=extend_schema(
        summary="Update a survey",
        description="Its name and introduction, and, when `questions` is given, the whole "
        "list of questions in order. A frozen survey (sent by a campaign) is not changed: 400, "
        "make a new version (`POST .../new-version/`).",
    ),
)
class SurveyViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    RowListModelMixin,
    TenantGenericViewSet,
):
    model = Survey
    serializer_class = SURVEY
    filterset_class = filters.SurveyFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()  # the schema: the model's shape, no tenant
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("questions", queryset=Question.objects.order_by("position", "pk"))
            )
            .order_by("name", "-version", "pk")
        )

    def _answer(self, survey, code=status.HTTP_200_OK):
        survey = self.get_queryset().get(pk=survey.pk)
        return ApiResponse(SURVEY(survey, context=self.get_serializer_context()).data, code)

    @staticmethod
    def _questions(survey, actor, questions) -> None:
        for question in list(survey.questions.all()):
            surveys.question_remove(question=question, actor=actor)
        for question in questions:
            surveys.question_add(survey=survey, actor=actor, **question)

    @extend_schema(responses={201: SURVEY})
    @transaction.atomic
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        questions = data.pop("questions", [])
        actor = _actor(request)
        survey = surveys.survey_create(actor=actor, **data)
        self._questions(survey, actor, questions)
        return self._answer(survey, status.HTTP_201_CREATED)

    @extend_schema(responses={200: SURVEY})
    @transaction.atomic
    def partial_update(self, request, *args, **kwargs):
        survey = self.get_object()
        body = self.get_serializer(survey, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        questions = data.pop("questions", None)
        actor = _actor(request)
        survey = surveys.survey_update(survey=survey, actor=actor, **data)
        if questions is not None:
            surveys.refuse_if_frozen(survey)
            self._questions(survey, actor, questions)
        return self._answer(survey)

    @extend_schema(
        summary="Make a new version of a survey",
        description="A copy of the survey and its questions as the next version, not frozen, "
        "to be changed and sent. Only the latest version gets a successor (400 otherwise).",
        request=None,
        responses={201: SURVEY},
    )
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        copy = surveys.survey_new_version(survey=self.get_object(), actor=_actor(request))
        return self._answer(copy, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="List campaigns",
        description="The office's campaigns, the latest to open first, with their counts "
        "(invited, delivered, held back, answered). Filter by `survey`, `status`, `anonymity`; "
        "`ordering` by opens, closes, name.",
    ),
    retrieve=extend_schema(summary="One campaign", description="A campaign, by id."),
    create=extend_schema(
        summary="Create a campaign",
        description="A draft campaign of a survey. Audited. It is scheduled on the staff page, "
        "after its audience preview.",
    ),
    partial_update=extend_schema(
        summary="Update a campaign",
        description="Changes a draft; a scheduled, open or closed campaign is not changed (400).",
    ),
)
class CampaignViewSet(
    CampaignResultsMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    RowListModelMixin,
    TenantGenericViewSet,
):
    model = Campaign
    serializer_class = CAMPAIGN
    filterset_class = filters.CampaignFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()  # the schema: the model's shape, no tenant
        sent = [s for s in Invitation.Status.values if s != Invitation.Status.HELD_BACK]
        count = listing.count_of
        return (
            super()
            .get_queryset()
            .annotate(
                invited=count(Invitation, link="campaign", status__in=sent),
                delivered=count(Invitation, link="campaign", status=Invitation.Status.SENT),
                held_back=count(Invitation, link="campaign", status=Invitation.Status.HELD_BACK),
                answered=count(Response, link="campaign"),
            )
            .prefetch_related("customers")
            .order_by("-opens_at", "-pk")
        )

    def _answer(self, campaign, code=status.HTTP_200_OK):
        campaign = self.get_queryset().get(pk=campaign.pk)
        return ApiResponse(CAMPAIGN(campaign, context=self.get_serializer_context()).data, code)

    @extend_schema(responses={201: CAMPAIGN})
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The campaign rules take the key itself (a read key may not write).
        campaign = campaigns.campaign_create(actor=request.auth, **body.validated_data)
        return self._answer(campaign, status.HTTP_201_CREATED)

    @extend_schema(responses={200: CAMPAIGN})
    def partial_update(self, request, *args, **kwargs):
        campaign = self.get_object()
        body = self.get_serializer(campaign, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        campaigns.campaign_update(campaign=campaign, actor=request.auth, **body.validated_data)
        return self._answer(campaign)


@extend_schema_view(
    list=extend_schema(
        summary="List responses",
        description="The responses of attributed campaigns, newest first, with their answers. "
        "Confidential and anonymous campaigns' responses are never listed one by one (their "
        "figures are in the results). Filter by `campaign`, `customer`; `ordering` by "
        "submitted.",
    ),
    retrieve=extend_schema(
        summary="One response",
        description="A response of an attributed campaign with its answers; another "
        "campaign's is not found (404).",
    ),
)
class ResponseViewSet(mixins.RetrieveModelMixin, RowListModelMixin, TenantGenericViewSet):
    model = Response
    serializer_class = serializers.ResponseSerializer
    filterset_class = filters.ResponseFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()  # the schema: the model's shape, no tenant
        return (
            super()
            .get_queryset()
            .filter(campaign__anonymity=Campaign.Anonymity.ATTRIBUTED)
            .select_related("invitation")
            .prefetch_related(
                Prefetch("answers", queryset=Answer.objects.order_by("question__position", "pk"))
            )
            .order_by("-submitted_at", "-pk")
        )
