"""Matching partner institutions (and so participants' home institutions) against the End User
List in force.

Names are compared after `normalised()`: accents, case, punctuation and spacing do not count.
Near matches are scored with rapidfuzz (0–100); a score at or above the setting
`SCREENING_MATCH_THRESHOLD` is stored as a `ScreeningMatch` with the listed entry.
"""

import re
import unicodedata

from django.conf import settings
from django.db import transaction
from rapidfuzz import fuzz, process

from institutions.models import PartnerInstitution

from ..models import EndUserList, ScreeningMatch

_NOT_A_WORD = re.compile(r"[\W_]+")


def normalised(name):
    """'Instituto  Técnico-Nacional, S.A.' → 'instituto tecnico nacional s a'."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_A_WORD.sub(" ", bare.casefold()).split())


def similarity(a, b):
    """How alike two normalised names are, 0–100: word order ignored (token_sort_ratio), and
    spacing ignored (the names compared without spaces: 'Tsing Hua' is 'TsingHua')."""
    if not a or not b:
        return 0
    return max(
        fuzz.token_sort_ratio(a, b),
        fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")),
    )


def threshold():
    return settings.SCREENING_MATCH_THRESHOLD


def list_in_force():
    """The newest End User List (by its date, then upload), or None."""
    return EndUserList.objects.first()


def _listed_names(entities):
    """([normalised name], [(entity, name as listed)]) for every name and alias, side by side."""
    names, owners = [], []
    for entity in entities:
        for name in [entity.name, *entity.aliases]:
            key = normalised(name)
            if key:
                names.append(key)
                owners.append((entity, name))
    return names, owners


def best_matches(partner_names, listed_names, owners):
    """{entity: (score, listed name)} for the partner's names at or above the threshold.

    Two passes of rapidfuzz's C scorers over all the listed names at once (`similarity` in
    bulk): words in any order, then the names without spaces."""
    compact = [name.replace(" ", "") for name in listed_names]
    found = {}
    for partner_name in partner_names:
        if not partner_name:
            continue
        candidates = process.extract(
            partner_name,
            listed_names,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=threshold(),
            limit=None,
        ) + process.extract(
            partner_name.replace(" ", ""),
            compact,
            scorer=fuzz.ratio,
            score_cutoff=threshold(),
            limit=None,
        )
        for _name, score, index in candidates:
            entity, listed_as = owners[index]
            if entity not in found or score > found[entity][0]:
                found[entity] = (round(score), listed_as)
    return found


def _partner_names(partner):
    return [normalised(partner.name), normalised(partner.name_local)]


def screen(partners, end_user_list):
    """Store the matches of `partners` against `end_user_list`, replacing their earlier matches.

    One read of the list's entries and one pass over the partners. A resolution staff recorded
    for the same partner and an entry of the same name (on an earlier list) is kept.
    Side effects: ScreeningMatch rows of these partners deleted and created, in one transaction.
    Returns the number of matches stored.
    """
    partners = list(partners)
    entities = list(end_user_list.entities.all()) if end_user_list else []
    listed_names, owners = _listed_names(entities)
    with transaction.atomic():
        earlier = {
            (match.partner_id, normalised(match.entity.name)): match
            for match in ScreeningMatch.objects.filter(
                partner__in=partners, resolved_at__isnull=False
            ).select_related("entity")
        }
        ScreeningMatch.objects.filter(partner__in=partners).delete()
        rows = []
        for partner in partners:
            for entity, (score, name) in best_matches(
                _partner_names(partner), listed_names, owners
            ).items():
                resolved = earlier.get((partner.pk, normalised(entity.name)))
                rows.append(
                    ScreeningMatch(
                        partner=partner,
                        entity=entity,
                        score=score,
                        matched_name=name,
                        resolved_at=resolved.resolved_at if resolved else None,
                        resolved_by_id=resolved.resolved_by_id if resolved else None,
                        resolution=resolved.resolution if resolved else "",
                    )
                )
        ScreeningMatch.objects.bulk_create(rows)
    return len(rows)


def screen_partner(partner):
    """A partner was added or renamed: match it against the list in force."""
    return screen([partner], list_in_force())


def screen_everyone(end_user_list=None):
    """A list was uploaded: every partner institution against it (one pass)."""
    return screen(PartnerInstitution.objects.all(), end_user_list or list_in_force())
