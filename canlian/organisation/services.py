"""Writes of the federation's organisation: a community officer's term starts and ends (任职 / 离任)."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canlian.accounts.scope import scoped_areas, staff_required
from canlian.areas.models import Area
from canlian.common.records import not_after_today, reason_required
from canlian.organisation.models import OfficerPost
from canlian.registry.services import clean_person_name, clean_phone

# A term is recorded once it has started or ended: the posts page shows who holds each post today.
_AHEAD = gettext_lazy("日期不能晚于今天：到任或离任后再登记。")


def _post_area_checked(*, area: Area, by) -> None:
    staff_required(by)
    if not by.keeps_organisation:
        raise PermissionDenied
    if area.level != Area.Level.VILLAGE:
        raise ValidationError(_("专职委员岗位设在社区或嘎查。"))
    if not scoped_areas(by).filter(pk=area.pk).exists():
        raise ValidationError(_("“%(area)s”不在您负责的区域内。") % {"area": area.name})


@transaction.atomic
def officer_post_assign(*, area: Area, by, holder_name: str, holder_phone: str, holder_disabled: bool,
                        started_on: date, user=None) -> OfficerPost:
    """Start a term in a community's post; the term running in it, if any, ends the day before (换届)."""
    _post_area_checked(area=area, by=by)
    holder_name = clean_person_name(holder_name, field="holder_name")
    holder_phone = clean_phone(holder_phone, field="holder_phone")
    not_after_today(started_on, field="started_on", message=_AHEAD)
    # Locks the community: two officers assigning its post at once end up with one holder, not an error (locking
    # the running term alone does not serialise them when the post is vacant, nor once the first has ended it).
    Area.objects.select_for_update().get(pk=area.pk)
    current = OfficerPost.objects.select_for_update().filter(area=area, ended_on__isnull=True).first()
    if OfficerPost.objects.filter(area=area, started_on__gte=started_on).exists():
        raise ValidationError({"started_on": _("任职日期应晚于该岗位已有任职的开始日期。")})
    # One holder a day: a term starts after the last one ended (an end already registered may lie ahead).
    last_end = OfficerPost.objects.filter(area=area, ended_on__gte=started_on).order_by("-ended_on").first()
    if last_end is not None:
        raise ValidationError({"started_on": _("任职日期应晚于上一任的离任日期 %(d)s。") % {"d": last_end.ended_on}})
    if current is not None:
        current.ended_on = started_on - timedelta(days=1)
        current.end_reason = current.end_reason or _("换届：%(name)s 接任") % {"name": holder_name}
        current.save(update_fields=["ended_on", "end_reason"])
    return OfficerPost.objects.create(area=area, holder_name=holder_name, holder_phone=holder_phone,
                                      holder_disabled=holder_disabled, user=user, started_on=started_on)


@transaction.atomic
def officer_post_end(*, post: OfficerPost, by, ended_on: date, reason: str) -> OfficerPost:
    """End a term without a successor: the post is vacant (空缺) from the next day."""
    _post_area_checked(area=post.area, by=by)
    reason = reason_required(reason, field="reason", message=_("请填写离任原因。"))
    not_after_today(ended_on, field="ended_on", message=_AHEAD)
    post = OfficerPost.objects.select_for_update().get(pk=post.pk)
    if post.ended_on is not None:
        raise ValidationError(_("这一任职已经结束。"))
    if ended_on < post.started_on:
        raise ValidationError({"ended_on": _("离任日期不能早于任职日期 %(d)s。") % {"d": post.started_on}})
    post.ended_on, post.end_reason = ended_on, reason
    post.save(update_fields=["ended_on", "end_reason"])
    return post
