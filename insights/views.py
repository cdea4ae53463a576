"""Staff: the dashboard of figures and the exports, both narrowed by the same GET filters."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from common.views import PermissionRequiredMixin
from participants.domain.registry import record_access

from .charts import bar_chart
from .domain import exports, figures
from .filters import FiguresFilter

STAFF = "accounts.use_staff_pages"


def _counts(breakdown):
    return [(row.label, row.value, row.value) for row in breakdown.all_rows]


class Dashboard(PermissionRequiredMixin, TemplateView):
    """GET shows the figures (from the cache when recent); POST recomputes them now."""

    permission_required = STAFF
    template_name = "insights/dashboard.html"

    def post(self, request, *args, **kwargs):
        filters = FiguresFilter(request.GET or None).as_filters()
        figures.dashboard_figures(filters, recompute=True)
        messages.success(request, _("The figures were recomputed."))
        query = request.GET.urlencode()
        return redirect(reverse("insights_dashboard") + (f"?{query}" if query else ""))

    def get_context_data(self, **kwargs):
        chosen = FiguresFilter(self.request.GET or None)
        form, filters = chosen.form, chosen.as_filters()
        shown = figures.dashboard_figures(filters)
        titles = {
            "fiscal-year": (_("Participants by fiscal year"), _("Fiscal year")),
            "program": (_("Participants by program"), _("Program")),
            "country": (_("Participants by country or region"), _("Country or region")),
            "course": (_("Participants by course"), _("Course")),
            "category": (_("Participants by category"), _("Category")),
            "host": (_("Participants by host institution"), _("Host institution")),
            "prefecture": (_("Participants by prefecture"), _("Prefecture")),
        }
        participant_sections = [
            {
                "chart": bar_chart(slug, title, _counts(shown.participants[slug])),
                "breakdown": shown.participants[slug],
                "label_heading": heading,
            }
            for slug, (title, heading) in titles.items()
        ]
        rates, budgets = shown.rates, shown.budgets
        return super().get_context_data(
            form=form,
            filters=filters,
            query=self.request.GET.urlencode(),
            computed_at=shown.computed_at,
            # The figures' markup (hundreds of bars and cells) is kept beside the figures, for
            # as long and as keyed: these filters, this language, this computation.
            figures_key=f"{filters.cache_key()}:{shown.computed_at.isoformat()}",
            figures_seconds=settings.DASHBOARD_CACHE_SECONDS,
            participant_sections=participant_sections,
            directions=shown.directions,
            plans=shown.plans,
            plans_chart=bar_chart(
                "plans", _("Plans by fiscal year"), _counts(shown.plans.totals())
            ),
            rates=rates,
            rates_chart=bar_chart(
                "approval",
                _("Approval rate by fiscal year"),
                [(rate.fiscal_year, rate.percent or 0, _percent(rate.percent)) for rate in rates],
                scale_to=100,
            ),
            budgets=budgets,
            budget_chart=bar_chart(
                "budget",
                _("Budget used per call"),
                [(use.call, use.percent or 0, use.share_label) for use in budgets],
                scale_to=max([100, *[use.percent or 0 for use in budgets]]),
            ),
            **kwargs,
        )


def _percent(value):
    return "–" if value is None else _("%(percent)s%%") % {"percent": value}


class Export(PermissionRequiredMixin, View):
    """One table in one format, streamed; personal data is recorded in the audit log (with
    the number of rows, before the first byte goes out)."""

    permission_required = STAFF
    table = None  # a key of TABLES
    file_format = "csv"
    audit_action = None

    TABLES = {
        "plans": exports.plans_table,
        "participants": exports.participants_table,
        "reviews": exports.reviews_table,
        "reports": exports.reports_table,
    }

    def get(self, request, *args, **kwargs):
        chosen = FiguresFilter(request.GET or None)
        form, unknown = chosen.form, chosen.unknown(request.GET)
        if unknown or (chosen.is_bound and not chosen.is_valid()):
            # Never "everything" in place of a filter that was asked for and not understood.
            message = _("These filters are not valid, so nothing was exported:")
            errors = [_("Unknown filter “%(name)s”.") % {"name": name} for name in unknown] + [
                form.errors.as_text()
            ]
            return HttpResponseBadRequest(
                "\n".join([message, *errors]).strip(), content_type="text/plain; charset=utf-8"
            )
        filters = chosen.as_filters()
        table = self.TABLES[self.table](filters)
        filename = f"{self.table}.{self.file_format}"
        if self.file_format == "xlsx":
            file, count = exports.xlsx_file(self.table, table.header, table.rows)
            response = FileResponse(
                file,
                as_attachment=True,
                filename=filename,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            count = table.count() if self.audit_action else None
            response = StreamingHttpResponse(
                exports.csv_pieces(table.header, table.rows),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        if self.audit_action:
            record_access(request.user, self.audit_action, filters.describe(), count)
        return response
