"""Who may write, read and review an implementation report."""

import rules

from accounts.rules import is_program_officer
from applications.rules import (
    agency_staff,
    is_collaborator,
    is_host_administrator,
    is_host_member,
    is_lead,
)

# The plan's editors write the report; the lead or an administrator submits it
# (applications.act_for_host, checked again by set_plan_state).
may_edit_report = (
    is_host_member & (is_lead | is_host_administrator | is_collaborator)
) | agency_staff
rules.add_perm("reports.edit_report", may_edit_report)
rules.add_perm("reports.view_report", is_host_member | is_program_officer)
rules.add_perm("reports.review_report", is_program_officer)
# Attendance of an online session: the plan's editors, or staff acting for the host.
rules.add_perm("reports.enter_attendance", may_edit_report | is_program_officer)
