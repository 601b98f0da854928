"""Organisational change plans: stakeholders, ADKAR, communications, training, readiness, adoption."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel, WorkflowMixin
from steward.innovation.choices import AdkarStage, Channel, ImpactLevel, Level, MetricKind
from steward.utilities.choices import ChoiceField


class ChangePlan(ReferenceMixin, WorkflowMixin, StewardModel):
    """How the people side of a rollout or change is managed, from first message to adoption."""

    reference_prefix = "OCM"
    reference_digits = 5
    workflow = "innovation.changeplan"

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    owner = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="change_plans",
        verbose_name=_("change manager"),
    )  # fmt: skip
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="change_plans",
        verbose_name=_("project"),
    )  # fmt: skip
    change = models.ForeignKey(
        "itsm.Change", on_delete=models.SET_NULL, null=True, blank=True, related_name="change_plans",
        verbose_name=_("ITSM change"),
    )  # fmt: skip
    pilot = models.ForeignKey(
        "innovation.Pilot", on_delete=models.SET_NULL, null=True, blank=True, related_name="change_plans",
        verbose_name=_("pilot"),
    )  # fmt: skip
    go_live = models.DateField(_("go-live"), null=True, blank=True)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = _("change plan")
        verbose_name_plural = _("change plans")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()


class StakeholderGroup(StewardModel):
    """People affected by a change, placed on the influence × interest grid, with impact and ADKAR stage.

    Members are the named people plus everyone in the chosen teams and departments.
    """

    plan = models.ForeignKey(
        ChangePlan, on_delete=models.CASCADE, related_name="groups", verbose_name=_("change plan")
    )
    name = models.CharField(_("name"), max_length=100)
    influence = ChoiceField(_("influence"), choices_class=Level, default=Level.LOW)
    interest = ChoiceField(_("interest"), choices_class=Level, default=Level.LOW)
    impact_level = ChoiceField(_("impact"), choices_class=ImpactLevel, default=ImpactLevel.MEDIUM)
    impact_description = models.TextField(_("impact description"), blank=True)
    adkar_stage = ChoiceField(_("ADKAR stage"), choices_class=AdkarStage, default=AdkarStage.AWARENESS)
    teams = models.ManyToManyField("org.Team", blank=True, related_name="stakeholder_groups",
                                   verbose_name=_("teams"))  # fmt: skip
    departments = models.ManyToManyField("org.Department", blank=True, related_name="stakeholder_groups",
                                         verbose_name=_("departments"))  # fmt: skip
    people = models.ManyToManyField("org.Person", blank=True, related_name="stakeholder_groups",
                                    verbose_name=_("people"))  # fmt: skip

    class Meta:
        ordering = ("plan", "name", "id")
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")
        constraints = [models.UniqueConstraint(fields=("plan", "name"), name="innovation_group_unique")]

    def __str__(self) -> str:
        return f"{self.plan.reference} {self.name}"


class CommunicationMessage(StewardModel):
    """A message of the communication plan, sent once on its date by the scheduled job."""

    plan = models.ForeignKey(
        ChangePlan, on_delete=models.CASCADE, related_name="messages", verbose_name=_("change plan")
    )
    audience = models.ManyToManyField(StakeholderGroup, related_name="messages", verbose_name=_("audience"))
    channel = ChoiceField(_("channel"), choices_class=Channel, default=Channel.EMAIL)
    send_on = models.DateField(_("send on"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    recipient_count = models.PositiveIntegerField(_("recipients"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("plan", "send_on", "id")
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        indexes = [models.Index(fields=("send_on", "sent_at"), name="innovation_message_due")]

    def __str__(self) -> str:
        return f"{self.send_on} {self.subject}"

    def clean(self) -> None:
        super().clean()
        if self.pk and self.sent_at:
            when = f"{timezone.localtime(self.sent_at):%Y-%m-%d %H:%M}"
            raise ValidationError(
                _("This message was sent on %(when)s and can no longer change.") % {"when": when}
            )


class TrainingItem(StewardModel):
    """A session of the plan's training: what, when and for which groups."""

    plan = models.ForeignKey(
        ChangePlan, on_delete=models.CASCADE, related_name="training", verbose_name=_("change plan")
    )
    title = models.CharField(_("title"), max_length=200)
    course = models.ForeignKey(
        "talent.Course",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_training",
        verbose_name=_("course"),
        help_text=_("From the training catalogue: enrolments can be planned from it."),
    )
    date = models.DateField(_("date"))
    audience = models.ManyToManyField(StakeholderGroup, blank=True, related_name="training",
                                      verbose_name=_("audience"))  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ("plan", "date", "id")
        verbose_name = _("training item")
        verbose_name_plural = _("training items")

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class ReadinessSurvey(StewardModel):
    """A short survey (1–5 agreement per question) measuring how ready people are; closes at a time."""

    plan = models.ForeignKey(
        ChangePlan, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("change plan")
    )
    title = models.CharField(_("title"), max_length=200)
    closes_at = models.DateTimeField(_("closes"))

    class Meta:
        ordering = ("plan", "closes_at", "id")
        verbose_name = _("readiness survey")
        verbose_name_plural = _("readiness surveys")

    def __str__(self) -> str:
        return f"{self.plan.reference} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.closes_at <= timezone.now()


class SurveyQuestion(StewardModel):
    """A statement respondents rate from 1 (strongly disagree) to 5 (strongly agree)."""

    survey = models.ForeignKey(
        ReadinessSurvey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("survey", "position", "id")
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.text


class SurveyAnswer(StewardModel):
    """One person's rating of one question; refused once the survey has closed."""

    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    respondent = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="survey_answers", verbose_name=_("respondent")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ("question", "respondent", "id")
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=("question", "respondent"), name="innovation_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.respondent}: {self.score}"

    def clean(self) -> None:
        super().clean()
        if self.question_id:
            survey = self.question.survey
            if survey.is_closed:
                raise ValidationError(
                    _("The survey '%(survey)s' closed on %(when)s; responses are no longer accepted.")
                    % {
                        "survey": survey.title,
                        "when": f"{timezone.localtime(survey.closes_at):%Y-%m-%d %H:%M}",
                    }
                )


class ReadinessItem(StewardModel):
    """A go-live checklist item: who does it, by when, and whether it is done."""

    plan = models.ForeignKey(
        ChangePlan, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("change plan")
    )
    title = models.CharField(_("item"), max_length=200)
    owner = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="readiness_items",
        verbose_name=_("owner"),
    )  # fmt: skip
    due_date = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ("plan", "due_date", "id")
        verbose_name = _("readiness item")
        verbose_name_plural = _("readiness items")

    def __str__(self) -> str:
        return self.title


class AdoptionMetric(StewardModel):
    """An adoption figure defined as data and computed by a query on platform records."""

    plan = models.ForeignKey(
        ChangePlan, on_delete=models.CASCADE, related_name="metrics", verbose_name=_("change plan")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = ChoiceField(_("kind"), choices_class=MetricKind)
    software_product = models.ForeignKey(
        "cmdb.SoftwareProduct", on_delete=models.CASCADE, null=True, blank=True, related_name="adoption_metrics",
        verbose_name=_("software product"),
    )  # fmt: skip
    catalogue_item = models.ForeignKey(
        "itsm.CatalogueItem", on_delete=models.CASCADE, null=True, blank=True, related_name="adoption_metrics",
        verbose_name=_("catalogue item"),
    )  # fmt: skip
    target = models.PositiveIntegerField(_("target"), null=True, blank=True)

    class Meta:
        ordering = ("plan", "name", "id")
        verbose_name = _("adoption metric")
        verbose_name_plural = _("adoption metrics")

    def __str__(self) -> str:
        return f"{self.plan.reference} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.kind == MetricKind.INSTALLATIONS and not self.software_product_id:
            raise ValidationError(
                {"software_product": _("Choose the software product whose installations count.")}
            )
        if self.kind == MetricKind.REQUESTS and not self.catalogue_item_id:
            raise ValidationError({"catalogue_item": _("Choose the catalogue item whose requests count.")})
