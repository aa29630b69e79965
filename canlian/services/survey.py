"""The annual survey's sections (动态1表 domains), each a short page of questions saved on its own.

The questions are data: a section lists (key, label, choices); the form for a section is built from it, the answers
are stored as {section: {key: value}}, and rules.needs_from_answers reads them. A new question is a line here.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from canlian.employment.choices import EmploymentForm, NotWorkingReason

YES_NO = [("yes", _("是")), ("no", _("否"))]
NEEDS = [("yes", _("需要")), ("no", _("不需要"))]
RECEIVES = [("yes", _("已获得")), ("no", _("未获得"))]
PLACEMENTS = [("mainstream", _("随班就读")), ("special_school", _("特殊教育学校")),
              ("welfare_class", _("福利机构特教班")), ("home_teaching", _("送教上门")),
              ("none", _("未入学"))]


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    choices: list
    required: bool = True
    hint: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    questions: list[Question] = field(default_factory=list)
    # Who is asked: "all", "working_age" or "school_age" (the others skip the section).
    applies_to: str = "all"
    # Follow-up questions that an answer makes required: {question: {answer: follow-up question}}.
    requires: dict = field(default_factory=dict)


SECTIONS = [
    Section("assistance", _("救助与补贴"), [
        Question("living_allowance", _("是否领取困难残疾人生活补贴"), YES_NO),
        Question("nursing_allowance", _("是否领取重度残疾人护理补贴"), YES_NO),
        Question("hardship", _("家庭生活是否有特殊困难"), YES_NO, hint=_("如因病、因灾支出大，一户多残，依老养残。")),
    ]),
    Section("insurance", _("社会保险"), [
        Question("pension", _("是否参加基本养老保险"), YES_NO),
        Question("medical", _("是否参加基本医疗保险"), YES_NO),
    ]),
    Section("rehabilitation", _("康复"), [
        Question("need", _("是否需要康复服务"), NEEDS, hint=_("康复训练、医疗康复、精神障碍社区康复、心理疏导等。")),
        Question("receives", _("过去一年是否获得康复服务"), RECEIVES),
        Question("family_doctor", _("是否已签约家庭医生"), YES_NO),
    ]),
    Section("devices", _("辅助器具"), [
        Question("need", _("是否需要辅助器具"), NEEDS, hint=_("轮椅、助听器、盲杖、假肢、助行器等。")),
        Question("receives", _("是否已配备所需的辅助器具"), RECEIVES),
    ]),
    Section("education", _("教育"), [
        Question("placement", _("就学情况"), PLACEMENTS),
        Question("need", _("是否需要教育安置或资助"), NEEDS),
    ], applies_to="school_age"),
    Section("employment", _("就业"), [
        Question("employed", _("是否就业"), YES_NO),
        Question("form", _("就业形式（就业的填写）"), [("", _("（不适用）")), *EmploymentForm.choices], required=False),
        Question("reason", _("未就业原因（未就业的填写）"), [("", _("（不适用）")), *NotWorkingReason.choices],
                 required=False),
    ], applies_to="working_age", requires={"employed": {"yes": "form", "no": "reason"}}),
    Section("care", _("托养照护"), [
        Question("need", _("是否需要托养或照护服务"), NEEDS, hint=_("居家托养、日间照料、寄宿制托养。")),
        Question("receives", _("是否已获得托养或照护服务"), RECEIVES),
    ]),
    Section("accessibility", _("家庭无障碍"), [
        Question("need", _("家中是否需要无障碍改造"), NEEDS, hint=_("扶手、坡道、卫生间改造、闪光门铃等。")),
        Question("receives", _("是否已完成改造"), RECEIVES),
    ]),
    Section("culture", _("文化体育"), [
        Question("participates", _("过去一年是否参加文化体育活动"), YES_NO),
        Question("need", _("是否希望参加文化体育活动"), NEEDS),
    ]),
]
SECTION_BY_KEY = {section.key: section for section in SECTIONS}


def section_form(section: Section, data=None, initial=None) -> forms.Form:
    """The form of one section: a radio group (or a list) per question, every answer required unless said."""
    fields = {}
    for question in section.questions:
        message = _("请回答：%(q)s。") % {"q": question.label}
        if question.required:
            fields[question.key] = forms.ChoiceField(
                label=question.label, choices=question.choices, widget=forms.RadioSelect, help_text=question.hint,
                error_messages={"required": message, "invalid_choice": message})
        else:
            fields[question.key] = forms.ChoiceField(label=question.label, choices=question.choices, required=False,
                                                     help_text=question.hint,
                                                     error_messages={"invalid_choice": message})
    def clean(form):
        data = forms.Form.clean(form)
        for question, follow_ups in section.requires.items():
            follow_up = follow_ups.get(data.get(question))
            if follow_up and not data.get(follow_up):
                label = next(q.label for q in section.questions if q.key == follow_up)
                form.add_error(follow_up, _("请回答：%(q)s。") % {"q": label})
        return data

    form_class = type(f"{section.key.title()}SectionForm", (forms.Form,), {**fields, "clean": clean})
    return form_class(data, initial=initial, prefix=section.key)
