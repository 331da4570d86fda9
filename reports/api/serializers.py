"""The KPI API's rows: snapshots as BI tools read them."""

from rest_framework import serializers

from reports import metrics
from reports.models import MetricSnapshot


class MetricSnapshotSerializer(serializers.ModelSerializer):
    """One metric of one scope of the office on one day (office date): its value (null when
    there was nothing to measure, or too few answers to show), the number it stands on (`n`) and,
    for NPS and CSAT, the bounds of its 95 % interval. `window` says what span a figure covers:
    the state on the day, or the month or quarter up to the day."""

    scope = serializers.CharField(source="scope_kind", read_only=True)
    unit = serializers.SerializerMethodField()

    class Meta:
        model = MetricSnapshot
        fields = [
            "day",
            "metric",
            "unit",
            "scope",
            "scope_id",
            "window",
            "value",
            "n",
            "low",
            "high",
        ]
        read_only_fields = fields

    def get_unit(self, obj) -> str:
        return metrics.BY_KEY[obj.metric].unit if obj.metric in metrics.BY_KEY else ""
