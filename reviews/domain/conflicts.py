"""Who must never review a plan, and why (shown to staff)."""

from django.utils.translation import gettext as _

from institutions.models import Membership


def _key(name, country):
    return (" ".join(name.casefold().split()), str(country).upper())


class ConflictIndex:
    """Everything conflict detection needs for many plans and reviewers, read in 4 queries.

    Conflicts are few: `in_conflict(plan)` finds a plan's from the host's members, its
    coordinators and its partners, without trying every reviewer in turn."""

    def __init__(self, plans, reviewers, plan_ids=None):
        """`plan_ids`: a query of the plans' ids, to read their coordinators and partners by
        (a subquery, rather than a list of 450 ids to send and parse)."""
        if plan_ids is None:
            plan_ids = [plan.pk for plan in plans]
        reviewer_ids = [reviewer.pk for reviewer in reviewers]
        self.reviewer_ids = set(reviewer_ids)
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

        self.members = {}  # institution id: {reviewer ids}
        for user_id, institutions in self.memberships.items():
            for institution_id in institutions:
                self.members.setdefault(institution_id, set()).add(user_id)
        self.affiliated = {}  # partner key: {reviewer ids}
        for reviewer_id, keys in self.affiliations.items():
            for key in keys:
                self.affiliated.setdefault(key, set()).add(reviewer_id)

    def in_conflict(self, plan):
        """{reviewer id: [reasons]} of the reviewers who may not review `plan`."""
        coordinators = {plan.lead_id, *self.collaborators.get(plan.pk, ())}
        affiliated = set()
        for key in self.partners.get(plan.pk, ()):
            affiliated |= self.affiliated.get(key, set())
        found = {}
        for reviewer_id in self.members.get(plan.host_id, ()):
            found.setdefault(reviewer_id, []).append(_("member of the host institution"))
        for reviewer_id in coordinators & self.reviewer_ids:
            found.setdefault(reviewer_id, []).append(_("coordinator of the plan"))
        for reviewer_id in affiliated:
            found.setdefault(reviewer_id, []).append(
                _("affiliated with a partner institution of the plan")
            )
        return found

    def reasons(self, plan, reviewer):
        """Why `reviewer` may not review `plan` (empty: no conflict found)."""
        return self.in_conflict(plan).get(reviewer.pk, [])


def profile_of(reviewer):
    """The reviewer's profile, or an empty one (a missing one-to-one raises AttributeError)."""
    from ..models import ReviewerProfile

    return getattr(reviewer, "reviewer_profile", None) or ReviewerProfile(user=reviewer)


def conflict_reasons(plan, reviewer):
    """For one pair (manual assignment): the same rules as automatic assignment."""
    return ConflictIndex([plan], [reviewer]).reasons(plan, reviewer)
