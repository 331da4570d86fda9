"""Serializers of the satisfaction API: surveys with their questions, campaigns, and the
responses of attributed campaigns with their answers."""

from rest_framework import serializers

from brm.api.serializers import (
    StrictCharField,
    TenantModelSerializer,
    TenantPrimaryKeyRelatedField,
)
from customers.models import Customer
from satisfaction.models import Answer, Campaign, Invitation, Question, Response, Survey

# The choices several records call "status" or "kind", named apart in the schema
# (ENUM_NAME_OVERRIDES in the settings).
CAMPAIGN_STATUS = Campaign.Status
QUESTION_KIND = Question.Kind


class QuestionSerializer(TenantModelSerializer):
    """A question of a survey: its kind (NPS 0-10, CSAT 1-5, a 1-5 rating per service used,
    effort 1-7, a single choice, free text), its text in the office's language, its
    translations by language code, whether an answer is required, the options of a single
    choice."""

    id = serializers.IntegerField(read_only=True)
    text = StrictCharField(max_length=500)
    translations = serializers.DictField(
        child=StrictCharField(max_length=500, allow_blank=True),
        required=False,
        help_text="Text by language code of the application (en, fr, de, nl).",
    )
    choices = serializers.ListField(
        child=StrictCharField(max_length=200),
        required=False,
        max_length=10,
        help_text="The options of a single choice: 2 to 10 distinct ones; empty for others.",
    )

    class Meta:
        model = Question
        fields = ["id", "position", "kind", "text", "translations", "required", "choices"]
        read_only_fields = ["id", "position"]


class SurveySerializer(TenantModelSerializer):
    """A survey template. Once a campaign has sent it, it is frozen (`frozen_at`): it is not
    changed again, and a change makes a new version (`previous` is the version it replaces)."""

    questions = QuestionSerializer(many=True, required=False)

    class Meta:
        model = Survey
        fields = [
            "id",
            "name",
            "introduction",
            "version",
            "previous",
            "frozen_at",
            "questions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "version", "previous", "frozen_at", "created_at", "updated_at"]


class CampaignSerializer(TenantModelSerializer):
    """A campaign: a survey sent to an audience (the role of the contacts, of which customers)
    between its open and close, with its reminders, repeat and anonymity mode. Created and
    changed as a draft; the counts are of its invitations (held back ones apart) and answers."""

    customers = TenantPrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Customer.all_tenants.all(),
        help_text="The chosen customers (scope `chosen` only).",
    )
    invited = serializers.IntegerField(read_only=True)
    delivered = serializers.IntegerField(read_only=True)
    held_back = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "survey",
            "status",
            "audience_role",
            "audience_scope",
            "relationship_manager",
            "division",
            "customers",
            "opens_at",
            "closes_at",
            "repeat",
            "reminders_max",
            "first_reminder_days",
            "anonymity",
            "opened_at",
            "closed_at",
            "published_at",
            "invited",
            "delivered",
            "held_back",
            "answered",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "opened_at",
            "closed_at",
            "published_at",
            "created_at",
            "updated_at",
        ]


class AnswerSerializer(TenantModelSerializer):
    """One answer: the score of a scored question, the option chosen, or the text; a service
    rating has one answer per service rated."""

    class Meta:
        model = Answer
        fields = ["question", "service", "value", "text"]
        read_only_fields = fields


class ResponseSerializer(TenantModelSerializer):
    """The answers of one respondent of an attributed campaign: who (the invitation and its
    contact), for which customer, when, and the answers."""

    contact = serializers.SerializerMethodField(help_text="The contact who answered.")
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "campaign",
            "customer",
            "invitation",
            "contact",
            "submitted_at",
            "updated_at",
            "answers",
        ]
        read_only_fields = fields

    def get_contact(self, response) -> int | None:
        invitation: Invitation | None = response.invitation
        return invitation.contact_id if invitation is not None else None
