"""Alumni: one person invited across years, recognised by name, date of birth and nationality.

A participant is linked to the Alumnus of the same identity (name casefolded and with
whitespace collapsed, date of birth, nationality). Names typed slightly differently in two
years (diacritics, hyphens, a second given name) make two alumni; staff find them among the
possible duplicates and merge them.
"""

import itertools
import unicodedata
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count

from ..models import Alumnus, Participant
from .registry import record_access


def clean_name(name):
    """`name` casefolded, with runs of whitespace made one space."""
    return " ".join((name or "").split()).casefold()


def identity_key(person):
    """What makes a Participant (or an Alumnus) the same person: names, birth date, country."""
    return (
        clean_name(person.family_name),
        clean_name(person.given_name),
        person.date_of_birth,
        str(person.nationality),
    )


def link_alumni(queryset=None):
    """Link every participant of `queryset` (all by default) without an alumnus to theirs.

    Side effects: creates the missing Alumnus rows (named as the participant first seen) and
    sets `alumnus` on the participants. A fixed number of queries whatever the numbers.
    Returns how many participants were linked.
    """
    queryset = Participant.objects.all() if queryset is None else queryset
    with transaction.atomic():
        waiting = list(
            queryset.filter(alumnus__isnull=True)
            .only("pk", "family_name", "given_name", "date_of_birth", "nationality")
            .order_by("created_at", "pk")
        )
        if not waiting:
            return 0
        births = {participant.date_of_birth for participant in waiting}
        known = {}
        for alumnus in Alumnus.objects.filter(date_of_birth__in=births).order_by("pk"):
            known.setdefault(identity_key(alumnus), alumnus)
        missing = {}
        for participant in waiting:
            key = identity_key(participant)
            if key not in known and key not in missing:
                missing[key] = Alumnus(
                    family_name=" ".join(participant.family_name.split()),
                    given_name=" ".join(participant.given_name.split()),
                    date_of_birth=participant.date_of_birth,
                    nationality=participant.nationality,
                )
        known.update(zip(missing, Alumnus.objects.bulk_create(missing.values()), strict=True))
        for participant in waiting:
            participant.alumnus = known[identity_key(participant)]
        Participant.objects.bulk_update(waiting, ["alumnus"], batch_size=1000)
    return len(waiting)


def loose_name(name):
    """`name` without diacritics, spaces, hyphens or apostrophes, casefolded."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "".join(char for char in letters.casefold() if char.isalnum())


def _words(name):
    return clean_name(name).split()


def names_close(first, second):
    """Two alumni whose names differ only slightly.

    Either the names are equal once diacritics, spaces and hyphens are ignored ("Nguyen Van An"
    and "Nguyễn Văn An"), or the family names are equal and one's given names begin the
    other's ("Somchai" and "Somchai Lee").
    """
    if loose_name(first.family_name + first.given_name) == loose_name(
        second.family_name + second.given_name
    ):
        return True
    if loose_name(first.family_name) != loose_name(second.family_name):
        return False
    one, other = _words(first.given_name), _words(second.given_name)
    shorter, longer = sorted((one, other), key=len)
    return bool(shorter) and longer[: len(shorter)] == shorter


def possible_duplicates():
    """Pairs (older, newer) of alumni born the same day in the same country with close names.

    Two queries: the groups of alumni sharing birth date and nationality, then their rows.
    """
    shared = set(
        Alumnus.objects.values("date_of_birth", "nationality")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("date_of_birth", "nationality")
    )
    if not shared:
        return []
    groups = defaultdict(list)
    births = {birth for birth, _ in shared}
    for alumnus in Alumnus.objects.filter(date_of_birth__in=births).order_by("pk"):
        key = (alumnus.date_of_birth, str(alumnus.nationality))
        if key in shared:
            groups[key].append(alumnus)
    return [
        (first, second)
        for group in groups.values()
        for first, second in itertools.combinations(group, 2)
        if names_close(first, second)
    ]


def merge_alumni(keep, other, *, by):
    """Make `other` one person with `keep`: staff only.

    Side effects: `other`'s participations move to `keep`, `other` is deleted, and a row in
    the audit log of personal data records the merge with the number of moved participations.
    Raises PermissionDenied for anyone but staff, ValueError when both are the same alumnus.
    """
    if not by.has_perm("accounts.use_staff_pages"):
        raise PermissionDenied
    if keep.pk == other.pk:
        raise ValueError("An alumnus cannot be merged into itself.")
    with transaction.atomic():
        locked = Alumnus.objects.select_for_update().filter(pk__in=[keep.pk, other.pk])
        if locked.count() != 2:
            raise Alumnus.DoesNotExist
        moved = Participant.objects.filter(alumnus=other).update(alumnus=keep)
        description = f"{other} into {keep}"
        other.delete()
        record_access(by, "merge_alumni", description, moved)
    return moved
