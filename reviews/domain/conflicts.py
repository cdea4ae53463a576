"""Who must never review a plan, and why (shown to staff)."""

from django.utils.translation import gettext as _

from institutions.models import Membership


def _key(name, country):
    return (" ".join(name.casefold().split()), str(country).upper())


class ConflictIndex:
    """Everything conflict detection needs for many plans and reviewers, read in 4 queries."""

    def __init__(self, plans, reviewers):
        plan_ids = [plan.pk for plan in plans]
        reviewer_ids = [reviewer.pk for reviewer in reviewers]
        self.memberships = {}
        for user_id, institution_id in Membership.objects.filter(
            user_id__in=reviewer_ids
        ).values_list("user_id", "institution_id"):
            self.memberships.setdefault(user_id, set()).add(institution_id)
        self.affiliations = {
            reviewer.pk: {
                _key(a.get("name", ""), a.get("country", ""))
                for a in profile_of(reviewer).affiliations_abroad
            }
            for reviewer in reviewers
        }
        from applications.models import InvitationPlan

        self.collaborators = {}
        through = InvitationPlan.collaborators.through
        for plan_id, user_id in through.objects.filter(invitationplan_id__in=plan_ids).values_list(
            "invitationplan_id", "user_id"
        ):
            self.collaborators.setdefault(plan_id, set()).add(user_id)
        self.partners = {}
        partner_through = InvitationPlan.partners.through
        for plan_id, name, country in partner_through.objects.filter(
            invitationplan_id__in=plan_ids
        ).values_list(
            "invitationplan_id", "partnerinstitution__name", "partnerinstitution__country"
        ):
            self.partners.setdefault(plan_id, set()).add(_key(name, country))

    def reasons(self, plan, reviewer):
        """Why `reviewer` may not review `plan` (empty: no conflict found)."""
        found = []
        if plan.host_id in self.memberships.get(reviewer.pk, ()):
            found.append(_("member of the host institution"))
        if reviewer.pk == plan.lead_id or reviewer.pk in self.collaborators.get(plan.pk, ()):
            found.append(_("coordinator of the plan"))
        if self.affiliations.get(reviewer.pk, set()) & self.partners.get(plan.pk, set()):
            found.append(_("affiliated with a partner institution of the plan"))
        return found


def profile_of(reviewer):
    """The reviewer's profile, or an empty one (a missing one-to-one raises AttributeError)."""
    from ..models import ReviewerProfile

    return getattr(reviewer, "reviewer_profile", None) or ReviewerProfile(user=reviewer)


def conflict_reasons(plan, reviewer):
    """For one pair (manual assignment): the same rules as automatic assignment."""
    return ConflictIndex([plan], [reviewer]).reasons(plan, reviewer)
