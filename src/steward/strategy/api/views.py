from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from steward.core import workflow as wf
from steward.core.api.viewsets import StewardModelViewSet
from steward.strategy import filtersets, services
from steward.strategy.api import serializers
from steward.strategy.models import (
    BusinessCaseLine,
    CriterionScore,
    Initiative,
    InitiativeAlignment,
    KeyResult,
    KeyResultMeasurement,
    Objective,
    PortfolioScenario,
    ScoringCriterion,
    ScoringModel,
)


class ObjectiveViewSet(StewardModelViewSet):
    queryset = Objective.objects.select_related("parent", "owner")
    serializer_class = serializers.ObjectiveSerializer
    filterset_class = filtersets.ObjectiveFilterSet


class KeyResultViewSet(StewardModelViewSet):
    queryset = KeyResult.objects.select_related("objective", "owner")
    serializer_class = serializers.KeyResultSerializer
    filterset_class = filtersets.KeyResultFilterSet


class KeyResultMeasurementViewSet(StewardModelViewSet):
    queryset = KeyResultMeasurement.objects.select_related("key_result")
    serializer_class = serializers.KeyResultMeasurementSerializer
    filterset_class = filtersets.KeyResultMeasurementFilterSet


class InitiativeViewSet(StewardModelViewSet):
    queryset = Initiative.objects.select_related("sponsor", "department")
    serializer_class = serializers.InitiativeSerializer
    filterset_class = filtersets.InitiativeFilterSet

    @extend_schema(responses={200: serializers.BusinessCaseSerializer})
    @action(detail=True, methods=["get"], url_path="business-case", pagination_class=None, filter_backends=[])
    def business_case(self, request: Any, pk: int | None = None) -> Response:
        """NPV, IRR, payback and ROI of the initiative's business case, planned and realised."""
        case = services.business_case(self.get_object())
        return Response(serializers.BusinessCaseSerializer(case).data)

    @property
    def required_action(self) -> str:
        return "add" if getattr(self, "action", None) == "intake" else super().required_action

    @extend_schema(
        request=serializers.DemandIntakeSerializer, responses={201: serializers.InitiativeSerializer}
    )
    @action(detail=False, methods=["post"], url_path="intake", pagination_class=None, filter_backends=[])
    def intake(self, request: Any) -> Response:
        """Submit a demand: an initiative with its objectives and a first yearly business case."""
        intake = serializers.DemandIntakeSerializer(data=request.data)
        intake.is_valid(raise_exception=True)
        values = dict(intake.validated_data)
        visible = set(Objective.objects.restrict(request.user, "view").values_list("pk", flat=True))
        hidden = [o.pk for o in values.get("objectives", []) if o.pk not in visible]
        if hidden:
            raise ValidationError({"objectives": [f'Invalid pk "{hidden[0]}" - object does not exist.']})
        try:
            initiative = services.submit_demand(actor=request.user, **values)
        except wf.TransitionNotAllowed as exc:
            # 400 naming the request's ``propose`` flag rather than the platform's 409: the demand
            # asked to be proposed at once and cannot be, which is bad input to this endpoint.
            raise ValidationError({"propose": [str(exc)]}) from None
        return Response(self.get_serializer(initiative).data, status=201)


class InitiativeAlignmentViewSet(StewardModelViewSet):
    queryset = InitiativeAlignment.objects.select_related("initiative", "objective")
    serializer_class = serializers.InitiativeAlignmentSerializer
    filterset_class = filtersets.InitiativeAlignmentFilterSet


class BusinessCaseLineViewSet(StewardModelViewSet):
    queryset = BusinessCaseLine.objects.select_related("initiative")
    serializer_class = serializers.BusinessCaseLineSerializer
    filterset_class = filtersets.BusinessCaseLineFilterSet


class ScoringModelViewSet(StewardModelViewSet):
    queryset = ScoringModel.objects.all()
    serializer_class = serializers.ScoringModelSerializer
    filterset_class = filtersets.ScoringModelFilterSet


class ScoringCriterionViewSet(StewardModelViewSet):
    queryset = ScoringCriterion.objects.select_related("scoring_model")
    serializer_class = serializers.ScoringCriterionSerializer
    filterset_class = filtersets.ScoringCriterionFilterSet


class CriterionScoreViewSet(StewardModelViewSet):
    queryset = CriterionScore.objects.select_related("initiative", "criterion__scoring_model")
    serializer_class = serializers.CriterionScoreSerializer
    filterset_class = filtersets.CriterionScoreFilterSet


class PortfolioScenarioViewSet(StewardModelViewSet):
    queryset = PortfolioScenario.objects.select_related("scoring_model").prefetch_related(
        "mandatory", "selected"
    )
    serializer_class = serializers.PortfolioScenarioSerializer
    filterset_class = filtersets.PortfolioScenarioFilterSet

    @property
    def required_action(self) -> str:
        return "change" if getattr(self, "action", None) == "run" else super().required_action

    @extend_schema(request=None, responses={200: serializers.ScoreCardSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="run", pagination_class=None, filter_backends=[])
    def run(self, request: Any, pk: int | None = None) -> Response:
        """Score the candidates and select the best set within the budget; returns the ranking."""
        scenario = self.get_object()
        try:
            cards = services.run_scenario(scenario=scenario, actor=request.user)
        except services.InfeasibleSelection as exc:
            raise ValidationError({"budget": [str(exc)]}) from None
        selected = set(scenario.selected.values_list("pk", flat=True))
        data = [
            {"initiative": c.initiative, "total": c.total, "cost": c.cost, "missing": c.missing,
             "selected": c.initiative.pk in selected}
            for c in cards
        ]  # fmt: skip
        return Response(serializers.ScoreCardSerializer(data, many=True).data)
