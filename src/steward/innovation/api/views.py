"""REST endpoints of the innovation models (one viewset each, on the shared base)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from steward.core.api.viewsets import StewardModelViewSet
from steward.innovation import filtersets, services
from steward.innovation import models as m
from steward.innovation.api import serializers
from steward.org.models import Person


def _person(request: Any, data: dict[str, Any], field: str) -> Person:
    """The person named in ``data[field]``, or the one linked to the caller's account."""
    raw = data.get(field)
    person = (
        Person.objects.filter(pk=raw).first()
        if raw not in (None, "")
        else Person.objects.filter(user=request.user).first()
    )
    if person is None:
        raise ValidationError({field: ["Give a person, or link your account to one."]})
    return person


VOTE = inline_serializer("IdeaVoteRequest", {"voter": drf.IntegerField(required=False)})
PROMOTE = inline_serializer("IdeaPromoteRequest", {"to": drf.ChoiceField(choices=["initiative", "project"]),
                                                   "start_date": drf.DateField(required=False)})  # fmt: skip
MOVE = inline_serializer("RadarMoveRequest", {"to_ring": drf.CharField(), "rationale": drf.CharField(),
                                              "date": drf.DateField(required=False)})  # fmt: skip
ENROLLED = inline_serializer("TrainingEnrolResponse", {"created": drf.IntegerField(),
                                                       "enrolments": drf.ListField(child=drf.IntegerField())})  # fmt: skip
RESPOND = inline_serializer("SurveyResponseRequest", {"respondent": drf.IntegerField(required=False),
                                                      "answers": drf.DictField(child=drf.IntegerField())})  # fmt: skip


class CriteriaSetViewSet(StewardModelViewSet):
    queryset = m.CriteriaSet.objects.all()
    serializer_class = serializers.CriteriaSetSerializer
    filterset_class = filtersets.CriteriaSetFilterSet


class EvaluationCriterionViewSet(StewardModelViewSet):
    queryset = m.EvaluationCriterion.objects.select_related("criteria_set")
    serializer_class = serializers.EvaluationCriterionSerializer
    filterset_class = filtersets.EvaluationCriterionFilterSet


class IdeaViewSet(StewardModelViewSet):
    queryset = m.Idea.objects.select_related("submitter", "criteria_set", "initiative", "project")
    serializer_class = serializers.IdeaSerializer
    filterset_class = filtersets.IdeaFilterSet

    @property
    def required_action(self) -> str:
        if getattr(self, "action", None) == "promote":
            return "change"
        return super().required_action

    def _vote(self, request: Any, withdraw: bool) -> Response:
        idea = self.get_object()
        if not request.user.has_perm("innovation.delete_ideavote" if withdraw else "innovation.add_ideavote"):
            raise PermissionDenied()
        voter = _person(request, request.data, "voter")
        if withdraw:
            services.unvote(idea=idea, voter=voter, actor=request.user)
        else:
            services.vote(idea=idea, voter=voter, actor=request.user)
        return Response({"votes": idea.votes.count()})

    @extend_schema(request=VOTE, responses={200: None})
    @action(detail=True, methods=["post"], url_path="vote", pagination_class=None, filter_backends=[])
    def vote(self, request: Any, pk: int | None = None) -> Response:
        """Vote for the idea (as ``voter``, or as the caller's person); a second vote is refused."""
        return self._vote(request, withdraw=False)

    @extend_schema(request=VOTE, responses={200: None})
    @action(detail=True, methods=["post"], url_path="unvote", pagination_class=None, filter_backends=[])
    def unvote(self, request: Any, pk: int | None = None) -> Response:
        """Withdraw a vote."""
        return self._vote(request, withdraw=True)

    @extend_schema(request=None, responses={200: None})
    @action(detail=True, methods=["get"], url_path="evaluation", pagination_class=None, filter_backends=[])
    def evaluation(self, request: Any, pk: int | None = None) -> Response:
        """Mean score per criterion and the weighted total."""
        result = services.evaluation(self.get_object())
        return Response({
            "total": result.total, "evaluators": result.evaluators, "missing": result.missing,
            "criteria": [{"id": c.pk, "name": c.name, "weight": c.weight, "mean": mean, "scores": n}
                         for c, mean, n in result.criteria],
        })  # fmt: skip

    @extend_schema(request=PROMOTE, responses={201: None})
    @action(detail=True, methods=["post"], url_path="promote", pagination_class=None, filter_backends=[])
    def promote(self, request: Any, pk: int | None = None) -> Response:
        """Make the idea an initiative or a project; returns the new record's reference."""
        idea = self.get_object()
        to = request.data.get("to", "")
        needed = {"initiative": "strategy.add_initiative", "project": "projects.add_project"}.get(to)
        if needed and not request.user.has_perm(needed):
            raise PermissionDenied()
        start = (
            drf.DateField(required=False).run_validation(request.data.get("start_date"))
            if request.data.get("start_date")
            else None
        )
        created = services.promote_idea(idea=idea, to=to, actor=request.user, start_date=start)
        return Response({"to": to, "id": created.pk, "reference": created.reference}, status=201)


class IdeaVoteViewSet(StewardModelViewSet):
    queryset = m.IdeaVote.objects.select_related("idea", "voter")
    serializer_class = serializers.IdeaVoteSerializer
    filterset_class = filtersets.IdeaVoteFilterSet


class IdeaScoreViewSet(StewardModelViewSet):
    queryset = m.IdeaScore.objects.select_related("idea", "criterion__criteria_set", "evaluator")
    serializer_class = serializers.IdeaScoreSerializer
    filterset_class = filtersets.IdeaScoreFilterSet


class RadarQuadrantViewSet(StewardModelViewSet):
    queryset = m.RadarQuadrant.objects.all()
    serializer_class = serializers.RadarQuadrantSerializer
    filterset_class = filtersets.RadarQuadrantFilterSet


class RadarEntryViewSet(StewardModelViewSet):
    queryset = m.RadarEntry.objects.select_related("quadrant", "owner").prefetch_related("software_products")
    serializer_class = serializers.RadarEntrySerializer
    filterset_class = filtersets.RadarEntryFilterSet

    @property
    def required_action(self) -> str:
        return "change" if getattr(self, "action", None) == "move" else super().required_action

    @extend_schema(request=MOVE, responses={201: serializers.RadarMovementSerializer})
    @action(detail=True, methods=["post"], url_path="move", pagination_class=None, filter_backends=[])
    def move(self, request: Any, pk: int | None = None) -> Response:
        """Move the entry to another ring with a rationale; the movement is recorded."""
        entry = self.get_object()
        if not request.user.has_perm("innovation.add_radarmovement"):
            raise PermissionDenied()
        date = request.data.get("date")
        date = drf.DateField().run_validation(date) if date else None
        movement = services.move_entry(entry=entry, to_ring=request.data.get("to_ring", ""),
                                       rationale=request.data.get("rationale", ""), date=date, actor=request.user)  # fmt: skip
        context = self.get_serializer_context()
        return Response(serializers.RadarMovementSerializer(movement, context=context).data, status=201)


class RadarMovementViewSet(StewardModelViewSet):
    queryset = m.RadarMovement.objects.select_related("entry")
    serializer_class = serializers.RadarMovementSerializer
    filterset_class = filtersets.RadarMovementFilterSet


class RadarEditionViewSet(StewardModelViewSet):
    queryset = m.RadarEdition.objects.all()
    serializer_class = serializers.RadarEditionSerializer
    filterset_class = filtersets.RadarEditionFilterSet


class PilotViewSet(StewardModelViewSet):
    queryset = m.Pilot.objects.select_related("idea", "owner").prefetch_related("projects")
    serializer_class = serializers.PilotSerializer
    filterset_class = filtersets.PilotFilterSet


class SuccessCriterionViewSet(StewardModelViewSet):
    queryset = m.SuccessCriterion.objects.select_related("pilot")
    serializer_class = serializers.SuccessCriterionSerializer
    filterset_class = filtersets.SuccessCriterionFilterSet


class ChangePlanViewSet(StewardModelViewSet):
    queryset = m.ChangePlan.objects.select_related("owner", "project", "change", "pilot")
    serializer_class = serializers.ChangePlanSerializer
    filterset_class = filtersets.ChangePlanFilterSet


class StakeholderGroupViewSet(StewardModelViewSet):
    queryset = m.StakeholderGroup.objects.select_related("plan").prefetch_related(
        "teams", "departments", "people"
    )
    serializer_class = serializers.StakeholderGroupSerializer
    filterset_class = filtersets.StakeholderGroupFilterSet


class CommunicationMessageViewSet(StewardModelViewSet):
    queryset = m.CommunicationMessage.objects.select_related("plan").prefetch_related("audience")
    serializer_class = serializers.CommunicationMessageSerializer
    filterset_class = filtersets.CommunicationMessageFilterSet


class TrainingItemViewSet(StewardModelViewSet):
    queryset = m.TrainingItem.objects.select_related("plan").prefetch_related("audience")
    serializer_class = serializers.TrainingItemSerializer
    filterset_class = filtersets.TrainingItemFilterSet

    @property
    def required_action(self) -> str:
        return "view" if getattr(self, "action", None) == "enrol" else super().required_action

    @extend_schema(request=None, responses={201: ENROLLED})
    @action(detail=True, methods=["post"], url_path="enrol", pagination_class=None, filter_backends=[])
    def enrol(self, request: Any, pk: int | None = None) -> Response:
        """Plan the item's catalogue course for every member of its audience (talent enrolments)."""
        item = self.get_object()
        if not request.user.has_perm("talent.add_enrolment"):
            raise PermissionDenied()
        created = services.enrol_training_audience(item=item, actor=request.user)
        return Response({"created": len(created), "enrolments": [e.pk for e in created]}, status=201)


class ReadinessSurveyViewSet(StewardModelViewSet):
    queryset = m.ReadinessSurvey.objects.select_related("plan")
    serializer_class = serializers.ReadinessSurveySerializer
    filterset_class = filtersets.ReadinessSurveyFilterSet

    @extend_schema(request=RESPOND, responses={201: None})
    @action(detail=True, methods=["post"], url_path="respond", pagination_class=None, filter_backends=[])
    def respond(self, request: Any, pk: int | None = None) -> Response:
        """Submit one person's answers ({question id: 1–5}); refused once the survey has closed."""
        survey = self.get_object()
        if not request.user.has_perm("innovation.add_surveyanswer"):
            raise PermissionDenied()
        respondent = _person(request, request.data, "respondent")
        answers = request.data.get("answers")
        if not isinstance(answers, dict) or not answers:
            raise ValidationError({"answers": ["Give the answers as {question id: score 1–5}."]})
        try:
            parsed = {int(k): v for k, v in answers.items()}
            rows = services.submit_survey_response(survey=survey, respondent=respondent, answers=parsed,
                                                   actor=request.user)  # fmt: skip
        except ValueError:
            raise ValidationError({"answers": ["Question ids are numbers."]}) from None
        return Response({"answers": len(rows)}, status=201)

    @extend_schema(request=None, responses={200: None})
    @action(detail=True, methods=["get"], url_path="results", pagination_class=None, filter_backends=[])
    def results(self, request: Any, pk: int | None = None) -> Response:
        """Mean score per question, overall and per stakeholder group."""
        data = services.survey_results(self.get_object())
        return Response({
            "respondents": data["respondents"],
            "groups": [g.name for g in data["groups"]],
            "questions": [{"id": r["question"].pk, "text": r["question"].text, "overall": r["overall"],
                           "count": r["count"], "groups": r["groups"]} for r in data["rows"]],
        })  # fmt: skip


class SurveyQuestionViewSet(StewardModelViewSet):
    queryset = m.SurveyQuestion.objects.select_related("survey__plan")
    serializer_class = serializers.SurveyQuestionSerializer
    filterset_class = filtersets.SurveyQuestionFilterSet


class SurveyAnswerViewSet(StewardModelViewSet):
    queryset = m.SurveyAnswer.objects.select_related("question", "respondent")
    serializer_class = serializers.SurveyAnswerSerializer
    filterset_class = filtersets.SurveyAnswerFilterSet


class ReadinessItemViewSet(StewardModelViewSet):
    queryset = m.ReadinessItem.objects.select_related("plan", "owner")
    serializer_class = serializers.ReadinessItemSerializer
    filterset_class = filtersets.ReadinessItemFilterSet


class AdoptionMetricViewSet(StewardModelViewSet):
    queryset = m.AdoptionMetric.objects.select_related("plan", "software_product", "catalogue_item")
    serializer_class = serializers.AdoptionMetricSerializer
    filterset_class = filtersets.AdoptionMetricFilterSet
