"""The one way views check permissions: a permission name from the rules, answered per object.

Someone else's object answers 404, not 403, so nothing reveals what exists.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404


class PermissionRequiredMixin(LoginRequiredMixin):
    """Check `permission_required` for the view (no object) or for `get_permission_object()`.

    A page without an object (a staff list) answers 403 to the wrong person; a page about an
    object answers 404.
    """

    permission_required = None

    def get_permission_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission_required is None:
            raise ImproperlyConfigured(f"{type(self).__name__} names no permission_required.")
        obj = self.get_permission_object()
        if not request.user.has_perm(self.permission_required, obj):
            if obj is None:
                raise PermissionDenied
            raise Http404
        refusal = self.further_checks(request, obj)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)

    def further_checks(self, request, obj):
        """Return a response to stop the view after the permission passed (e.g. wrong state)."""
        return
