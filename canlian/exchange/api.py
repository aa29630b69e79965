"""Department API (部门接口) at /api/v1/: lists pushed in, certificates verified, school-age children read out.

Every call, whatever its answer, is logged in ApiCall; errors are JSON with a stable code and a Chinese message.
"""

import functools
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import URLPattern, re_path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, P, Path, Query
from ninja.errors import HttpError, ValidationError
from ninja.security import HttpBearer

from canlian.common.ids import IdNumberError, parse_certificate_number
from canlian.common.middleware import client_address
from canlian.exchange import selectors, services, tokens
from canlian.exchange.api_schemas import (
    MAX_PUSH_ROWS,
    BatchOut,
    ChildrenOut,
    ErrorOut,
    ListPushIn,
    PushSource,
    VerificationOut,
)
from canlian.exchange.models import DepartmentToken, ImportBatch
from canlian.exchange.sources import SOURCES
from canlian.registry.choices import CertificateStatus
from canlian.registry.proofs import proof_read

logger = logging.getLogger(__name__)

MAX_ID = 2**63 - 1  # ids are 64-bit; a larger number is refused as invalid rather than failing in the database

api = NinjaAPI(
    title="残联综合服务平台 部门接口", version="1", urls_namespace="api",
    # No docs page: Swagger UI loads from a CDN, which the CSP forbids; departments read openapi.json.
    docs_url=None,
    description="认证：请求头 Authorization: Bearer <令牌>（令牌由残联在管理后台签发）。"
                "每个令牌每分钟调用次数有限；每次调用都有记录。出错时返回 JSON：code（稳定的错误代码）和 message（中文说明）。",
)


class ApiError(HttpError):
    """An answer other than success: the HTTP status, a stable code for programs and a Chinese message for people."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict | None = None,
                 errors: list | None = None) -> None:
        super().__init__(status, message)
        self.code, self.headers, self.errors = code, headers or {}, errors


def _error(status: int, code: str, message, *, headers: dict | None = None, errors: list | None = None) -> JsonResponse:
    body = {"code": code, "message": str(message)} | ({"errors": errors} if errors is not None else {})
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _scope_denied(scope: str) -> ApiError:
    return ApiError(403, "scope_denied", _("此令牌没有“%(scope)s”权限：如需开通，请联系残联。")
                    % {"scope": DepartmentToken.Scope(scope).label})


class DepartmentTokenAuth(HttpBearer):
    """A live department token, within its rate limit, holding `scope` (if one is named)."""

    def __init__(self, scope: str = "") -> None:
        self.scope = scope
        super().__init__()

    def __call__(self, request):
        scheme, _sep, raw = request.headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise ApiError(401, "token_missing", _("缺少令牌：请在请求头中提供 Authorization: Bearer <令牌>。"))
        return self.authenticate(request, raw.strip())

    def authenticate(self, request, token: str) -> DepartmentToken:
        found = tokens.department_token_for(token)
        if found is None:
            raise ApiError(401, "token_invalid", _("令牌无效、已更换或已吊销：请核对，或向残联索取新令牌。"))
        request.department_token = found  # the call log names the token whatever the answer
        limit = settings.API_RATE_LIMIT_PER_MINUTE
        wait = selectors.api_call_retry_after(token=found, limit=limit, now=timezone.now())
        if wait is not None:
            raise ApiError(429, "rate_limited", _("调用过于频繁：每个令牌每分钟最多 %(n)d 次，请 %(s)d 秒后重试。")
                           % {"n": limit, "s": wait}, headers={"Retry-After": str(wait)})
        if self.scope and not found.allows(self.scope):
            raise _scope_denied(self.scope)
        return found


# --- errors: JSON with a stable code and a Chinese message, never a stack trace ---------------------------

_PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("必须填写。"),
    "string_type": gettext_lazy("应为文本。"),
    "string_pattern_mismatch": gettext_lazy("格式不符合要求。"),
    "int_type": gettext_lazy("应为整数。"),
    "int_parsing": gettext_lazy("应为整数。"),
    "int_from_float": gettext_lazy("应为整数。"),
    "bool_type": gettext_lazy("应为 true 或 false。"),
    "bool_parsing": gettext_lazy("应为 true 或 false。"),
    "date_type": gettext_lazy("应为日期，格式 YYYY-MM-DD。"),
    "date_parsing": gettext_lazy("应为日期，格式 YYYY-MM-DD。"),
    "date_from_datetime_parsing": gettext_lazy("应为日期，格式 YYYY-MM-DD。"),
    "list_type": gettext_lazy("应为数组。"),
    "dict_type": gettext_lazy("应为对象。"),
    "model_attributes_type": gettext_lazy("应为对象。"),
    "too_short": gettext_lazy("至少需要 %(min_length)s 项。"),
    "greater_than_equal": gettext_lazy("不能小于 %(ge)s。"),
    "less_than_equal": gettext_lazy("不能大于 %(le)s。"),
    "enum": gettext_lazy("应为以下之一：%(expected)s。"),
}


def _request_error(error: dict) -> dict:
    location = list(error.get("loc", ()))
    if location[:1] == ["body"]:
        del location[1:2]  # the view's parameter name means nothing to the caller
    template = _PYDANTIC_MESSAGES.get(error.get("type", ""), gettext_lazy("取值无效。"))
    try:
        message = str(template) % (error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        message = str(template)
    return {"location": location, "type": error.get("type", ""), "message": message}


@api.exception_handler(ValidationError)
def _invalid_request(request, exc: ValidationError):
    return _error(422, "invalid_request", _("请求内容有误：请按 errors 逐项修改。"),
                  errors=[_request_error(error) for error in exc.errors])


_SERVICE_FIELDS = {"area": "area_code", "file": "rows"}


@api.exception_handler(DjangoValidationError)
def _refused_by_service(request, exc: DjangoValidationError):
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    errors = [{"location": ["body", _SERVICE_FIELDS.get(field, field)] if field and field != "__all__" else [],
               "type": "refused", "message": message}
              for field, messages in by_field.items() for message in messages]
    return _error(422, "invalid_request", " ".join(error["message"] for error in errors), errors=errors)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc, ApiError):
        return _error(exc.status_code, exc.code, exc.message, headers=exc.headers, errors=exc.errors)
    if exc.status_code == 400:  # ninja could not read the body
        return _error(400, "invalid_json", _("请求体不是有效的 JSON：请检查格式，并使用 UTF-8 编码。"))
    return _error(exc.status_code, "http_error", _("请求无法处理。"))


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return _error(404, "not_found", _("未找到：请核对地址和编号。"))


def _server_error(request=None, exc: Exception | None = None):
    logger.exception("department API call failed: %s %s", getattr(request, "method", ""), getattr(request, "path", ""))
    return _error(500, "server_error", _("系统错误，请稍后重试。"))


api.add_exception_handler(Exception, _server_error)

ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut}


# --- lists pushed by departments --------------------------------------------------------------------------


def _table(rows: list[dict]) -> list[list]:
    """Rows of {column: value} as a table: the header is every column in first-seen order."""
    header = list(dict.fromkeys(key for row in rows for key in row))
    return [header, *([row.get(key) for key in header] for row in rows)]


def _summary(batch: ImportBatch, *, message: str = "") -> dict:
    # A pushed list's first row is row 1 (import_validate(first_row_number=1)).
    problems = [{"row": row.row_number, "column": p.get("column", ""), "value": str(p.get("value", "")),
                 "message": p.get("message", "")}
                for row in selectors.batch_problem_rows(batch) for p in row.problems or []]
    counts = ["total_rows", "error_rows", "new_count", "changed_count", "ended_count", "unchanged_count"]
    return {"id": batch.pk, "source": batch.source, "state": batch.state, "state_label": batch.get_state_display(),
            "message": message or batch.message, "list_date": batch.list_date, "area_code": batch.area.code,
            **{name: getattr(batch, name) for name in counts}, "problems": problems}


@api.post("/lists/{source}", auth=DepartmentTokenAuth(), response={200: BatchOut, **ERRORS}, summary="推送名单",
          description="与上传文件相同的校验和提示。commit=false 只校验不修改；commit=true 且没有错误行时导入；"
                      "同一名单重复推送不会重复导入（状态 duplicate）。")
def list_push(request, source: PushSource, payload: ListPushIn):
    token, spec = request.auth, SOURCES[source.value]
    if not token.allows(spec.scope):
        raise _scope_denied(spec.scope)
    if len(payload.rows) > MAX_PUSH_ROWS:
        # Not "split it into parts": an assistance list is whole for its area; a part would end the others' status.
        raise ApiError(422, "too_many_rows", _("每次最多推送 %(max)d 行，本次 %(n)d 行：请按下级区域（街道、社区）分别推送。")
                       % {"max": MAX_PUSH_ROWS, "n": len(payload.rows)})
    area = selectors.token_area_get(token=token, code=payload.area_code)
    if area is None:
        raise ApiError(422, "area_not_allowed", _("区划代码 %(code)s 不在此令牌的数据区域内（或不存在）：请核对。")
                       % {"code": payload.area_code})
    # The body in canonical form stands in for the file, so the same list pushed twice has the same digest.
    content = json.dumps({"list_date": payload.list_date.isoformat(), "area_code": payload.area_code,
                          "rows": payload.rows}, sort_keys=True, ensure_ascii=False).encode()
    batch = services.import_batch_create(by=token.acting_user, source=spec.key, area=area, list_date=payload.list_date,
                                         chunks=[content], file_name="api.json", via=ImportBatch.Via.API,
                                         department=token)
    if batch.state == ImportBatch.State.QUEUED:
        batch = services.import_validate(batch=batch, rows=_table(payload.rows), first_row_number=1)
    if payload.commit and batch.state == ImportBatch.State.VALIDATED:
        if batch.error_rows:
            # A bad row is left out, and on a full list (低保) a person left out loses the status: apply all or none.
            return _summary(batch, message=_("有 %(n)d 行有错误，整份名单未导入：请更正后重新推送。") % {"n": batch.error_rows})
        batch = services.import_commit(batch=batch, by=token.acting_user)
    return _summary(batch)


@api.get("/lists/batches/{batch_id}", auth=DepartmentTokenAuth(), response={200: BatchOut, 404: ErrorOut, **ERRORS},
         summary="查询推送批次")
def list_batch(request, batch_id: Path[int, P(ge=1, le=MAX_ID)]):
    return _summary(selectors.token_batch_get(token=request.auth, pk=batch_id))


# --- certificate verification (跨省通办) --------------------------------------------------------------------


@api.get("/certificates/{number}/verification", auth=DepartmentTokenAuth(DepartmentToken.Scope.VERIFY_CERTIFICATES),
         response={200: VerificationOut, 404: ErrorOut, **ERRORS}, summary="核验残疾人证",
         description="只回答证件今天是否有效及其类别、等级，不提供持证人的其他信息；"
                     "带 proof 时另答《残疾人证有效证明》是否为本平台为此证出具（proof_issued_on 为出具日期，否则为空）。")
def certificate_verification(request, number: Path[str, P(description="残疾人证号：18位身份证号 + 类别(1–7) + 等级(1–4)，"
                                                                    "补发证另加 B1、B2…",
                                                        example="15250119800101011842")],
                             proof: Query[str, P(max_length=400, description="《残疾人证有效证明》底部的证明编号（选填）：核对证明是否为本平台出具")] = ""):
    try:
        parsed = parse_certificate_number(number)
    except IdNumberError as error:
        raise ApiError(422, "certificate_number_malformed", str(error)) from None
    number, today = str(parsed), timezone.localdate()
    certificate = selectors.certificate_for_verification(number=number, on=today)
    if certificate is None:
        raise ApiError(404, "certificate_not_found",
                       _("查无残疾人证号 %(n)s：请核对号码；号码无误的，请联系发证地残联。") % {"n": number})
    status = certificate.status_on(today)
    return {"number": number, "valid": certificate.is_valid_on(today), "status": status,
            "status_label": str(CertificateStatus(status).label), "category": certificate.category,
            "category_label": certificate.get_category_display(), "grade": certificate.grade,
            "grade_label": certificate.get_grade_display(),
            "proof_issued_on": proof_read(proof, number=number) if proof else None}


# --- school-age children for education (适龄残疾儿童少年入学) -------------------------------------------------


@api.get("/children/school-age", auth=DepartmentTokenAuth(DepartmentToken.Scope.READ_SCHOOL_AGE),
         response={200: ChildrenOut, **ERRORS}, summary="查询本区域学龄残疾儿童",
         description="令牌数据区域内、在册、持有效残疾人证、今天年龄在 min_age 至 max_age 岁之间的儿童，按 after 分页。")
def school_age_children(request, min_age: Query[int, P(ge=0, le=18)] = 6, max_age: Query[int, P(ge=0, le=18)] = 15,
                        limit: Query[int, P(ge=1, le=500)] = 100, after: Query[int, P(ge=0, le=MAX_ID)] = 0):
    if min_age > max_age:
        raise ApiError(422, "invalid_request", _("最小年龄不能大于最大年龄。"))
    children = list(selectors.school_age_children(token=request.auth, on=timezone.localdate(), min_age=min_age,
                                                  max_age=max_age, after=after)[:limit + 1])
    more = len(children) > limit
    children = children[:limit]
    return {"items": children, "next_after": children[-1].pk if more else None}


# --- the URLs: every call logged, whatever answered it ------------------------------------------------------


def _logged(view):
    @functools.wraps(view)
    def logged_view(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Exception as error:
            response = _server_error(request, error)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            response = _error(405, "method_not_allowed", _("此地址不支持 %(m)s 方法。") % {"m": request.method[:10]},
                              headers={"Allow": response.get("Allow", "")})
        tokens.api_call_record(token=getattr(request, "department_token", None), method=request.method,
                               path=request.path, status=response.status_code, ip_address=client_address(request))
        return response

    return csrf_exempt(logged_view)


def _unknown(request, *args, **kwargs):
    return _error(404, "not_found", _("没有这个接口：请核对地址（见 /api/v1/openapi.json）。"))


def api_urls():
    """The API's URLs, every route logged; called once by canlian/urls.py after the other apps added theirs."""
    patterns, app_name, namespace = api.urls
    logged = [URLPattern(p.pattern, _logged(p.callback), p.default_args, p.name) for p in patterns]
    return [*logged, re_path(r"", _logged(_unknown))], app_name, namespace
