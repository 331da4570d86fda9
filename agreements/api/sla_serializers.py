"""Serializers of the SLA appendix API."""

from rest_framework import serializers

from agreements.models import SlaLine, SlaMeasurement
from brm.api.serializers import TenantModelSerializer, TenantPrimaryKeyRelatedField


class SlaLineSerializer(TenantModelSerializer):
    """A line of an agreement version's SLA / OLA appendix: the agreed service level of a
    catalogue service. Its `key` names the series its measurements belong to."""

    agreement = serializers.IntegerField(source="version.agreement.id", read_only=True)
    customer = serializers.IntegerField(source="version.agreement.customer.id", read_only=True)

    class Meta:
        model = SlaLine
        fields = [
            "id",
            "agreement",
            "customer",
            "version",
            "position",
            "key",
            "kind",
            "service",
            "metric",
            "target_value",
            "unit",
            "direction",
            "period",
            "workload_limit",
            "exceptions",
            "owner",
        ]
        read_only_fields = fields


class SlaMeasurementSerializer(TenantModelSerializer):
    """A measured actual of an SLA line for one finished calendar month or quarter.

    `line` may be any line with the key; the measurement is kept against the line of the
    version in force at the period's end. `period_end` may be left out (it follows from the
    line's period). `target_met` is derived from the actual and that line's target. The line
    and the period of a measurement do not change: correct its actual, workload or note.
    """

    line = TenantPrimaryKeyRelatedField(queryset=SlaLine.objects)
    period_end = serializers.DateField(required=False)
    target_met = serializers.BooleanField(read_only=True)

    class Meta:
        model = SlaMeasurement
        fields = [
            "id",
            "agreement",
            "line",
            "line_key",
            "period_start",
            "period_end",
            "actual_value",
            "actual_workload",
            "note",
            "target_met",
            "source",
            "recorded_by",
            "recorded_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "agreement",
            "line_key",
            "source",
            "recorded_by",
            "recorded_at",
            "updated_at",
        ]
        # The service says "has a measurement for this period already" (a 400 on period_start).
        validators = []

    def validate(self, attrs):
        measurement = self.instance
        if measurement is not None:
            errors = {}
            line = attrs.get("line")
            if line is not None and line.key != measurement.line_key:
                errors["line"] = "A measurement stays with its line: record the other line's."
            for name in ("period_start", "period_end"):
                if name in attrs and attrs[name] != getattr(measurement, name):
                    errors[name] = "A measurement stays with its period: record the other period."
            if errors:
                raise serializers.ValidationError(errors)
        return attrs
