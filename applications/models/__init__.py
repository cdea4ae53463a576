from .activities import Activity, ActivityKind
from .history import PlanTransition, PlanVersion
from .plan import (
    Attachment,
    BudgetLine,
    InvitationPlan,
    ItineraryItem,
    PlannedInvitees,
    PlanState,
    RegistrationReceipt,
)

__all__ = [
    "Activity",
    "ActivityKind",
    "Attachment",
    "BudgetLine",
    "InvitationPlan",
    "ItineraryItem",
    "PlanState",
    "PlanTransition",
    "PlanVersion",
    "PlannedInvitees",
    "RegistrationReceipt",
]
