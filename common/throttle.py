"""A per-address throttle for public pages, counted in the cache.

When the cache does not answer the page is served without the throttle: a public page
must not fail because its guard is down.
"""

import logging

from axes.helpers import get_client_ip_address
from django.core.cache import cache

log = logging.getLogger(__name__)


def allow(request, scope, *, per_minute):
    """True while this address has made at most `per_minute` requests in `scope` in the minute
    since its first one; False once it has made more."""
    key = f"throttle:{scope}:{get_client_ip_address(request)}"
    try:
        cache.add(key, 0, timeout=60)
        return cache.incr(key) <= per_minute
    except Exception:  # the cache is down (Redis stopped): serve unthrottled
        log.warning("Throttle %s not applied: the cache did not answer.", scope, exc_info=True)
        return True
