"""An alarm's declaration: what it watches, when it fires, and the runbook section that says what to do.

Every alarm goes to the one topic (`AlarmTopic`) when it fires and when it is back to OK, and names its runbook
section (docs/operations.md, heading `### <Name>Alarm`), so whoever is paged reads one page.
"""

from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass
from typing import Any

from stack.intrinsics import Ref, Sub, Value

TOPIC = "AlarmTopic"
RUNBOOK = "docs/operations.md"
NAMESPACE = "Collectra"
SERVICE = (("service", "collectra"),)  # Powertools' default dimension (POWERTOOLS_SERVICE_NAME)
_PERCENTILE = re.compile(r"^p\d+(\.\d+)?$")


@dataclass(frozen=True)
class Metric:
    """One CloudWatch metric and the statistic the alarm reads (`Sum`, `Maximum`, `p95`...).

    By default a metric the code emits through Powertools (namespace `Collectra`, dimension `service`)."""

    name: str
    namespace: str = NAMESPACE
    dimensions: tuple[tuple[str, Value], ...] = SERVICE
    stat: str = "Sum"

    def written_dimensions(self) -> list[dict[str, Value]]:
        return [{"Name": name, "Value": value} for name, value in self.dimensions]


@dataclass(frozen=True)
class Alarm:
    """One AWS::CloudWatch::Alarm, `<name>Alarm`: on `metric`, or on `expression` (metric math over `metrics`,
    each under its id)."""

    name: str
    _: KW_ONLY
    description: str
    metric: Metric | None = None
    expression: str | None = None
    metrics: tuple[tuple[str, Metric], ...] = ()
    threshold: float = 0
    comparison: str = "GreaterThanThreshold"
    period: int = 300  # seconds
    evaluation_periods: int = 1
    datapoints: int | None = None  # of evaluation_periods, that must breach (None: all of them)
    missing: str = "notBreaching"

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", self.name) or self.name.endswith("Alarm"):
            raise ValueError(f"alarm {self.name!r}: a name is CamelCase without 'Alarm', e.g. 'ReminderDeadLetters'")
        if (self.metric is None) == (self.expression is None):
            raise ValueError(f"{self.name}: give a metric, or an expression over metrics")
        if self.expression is not None and not self.metrics:
            raise ValueError(f"{self.name}: an expression needs the metrics it reads")

    @property
    def logical_id(self) -> str:
        return f"{self.name}Alarm"

    @property
    def anchor(self) -> str:
        """The runbook section's anchor, as GitHub makes it from the heading `### <Name>Alarm`."""
        return self.logical_id.lower()

    @property
    def short_name(self) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "-", self.name).lower()

    def watched(self) -> list[Metric]:
        return [self.metric] if self.metric is not None else [metric for _, metric in self.metrics]


def alarm_resource(alarm: Alarm) -> dict[str, Any]:
    """The alarm as CloudFormation writes it."""
    properties: dict[str, Any] = {
        "AlarmName": Sub(f"collectra-${{EnvironmentName}}-{alarm.short_name}"),
        "AlarmDescription": f"{alarm.description} Runbook: {RUNBOOK}#{alarm.anchor}",
    }
    if alarm.metric is not None:
        metric = alarm.metric
        properties |= {
            "Namespace": metric.namespace,
            "MetricName": metric.name,
            "Dimensions": metric.written_dimensions(),
            _statistic_key(metric.stat): metric.stat,
            "Period": alarm.period,
        }
    else:
        properties["Metrics"] = [
            {"Id": "alarm", "Expression": alarm.expression, "Label": alarm.name, "ReturnData": True},
            *(_metric_stat(metric_id, metric, alarm.period) for metric_id, metric in alarm.metrics),
        ]
    properties |= {
        "EvaluationPeriods": alarm.evaluation_periods,
        **({"DatapointsToAlarm": alarm.datapoints} if alarm.datapoints is not None else {}),
        "Threshold": alarm.threshold,
        "ComparisonOperator": alarm.comparison,
        "TreatMissingData": alarm.missing,
        "AlarmActions": [Ref(TOPIC)],
        "OKActions": [Ref(TOPIC)],
    }
    return {alarm.logical_id: {"Type": "AWS::CloudWatch::Alarm", "Properties": properties}}


def _statistic_key(stat: str) -> str:
    return "ExtendedStatistic" if _PERCENTILE.match(stat) else "Statistic"


def _metric_stat(metric_id: str, metric: Metric, period: int) -> dict[str, Any]:
    written = {"Namespace": metric.namespace, "MetricName": metric.name, "Dimensions": metric.written_dimensions()}
    return {
        "Id": metric_id,
        "MetricStat": {"Metric": written, "Period": period, "Stat": metric.stat},
        "ReturnData": False,
    }
