"""The forms of a page as a browser sends them, for the rush's simulated coordinators
(bench/locustfile.py) and its in-process replay (bench/profile_requests.py)."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


class FormReader(HTMLParser):
    """The page's forms as a browser would send them: [{"action", "method", "fields"}]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action") or "",
                    "method": (attrs.get("method") or "get").lower(),
                    "fields": [],
                }
            )
            return
        if not self.forms:
            return
        fields, name = self.forms[-1]["fields"], attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    fields.append([name, attrs.get("value") or "on"])
                return
            fields.append([name, attrs.get("value") or ""])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "first": None, "on": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["on"].append(value)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the newline that follows <textarea>.
            if self._textarea[1].startswith("\n"):
                self._textarea[1] = self._textarea[1][1:]
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["on"]
            if not chosen and not self._select["multiple"] and self._select["first"] is not None:
                chosen = [self._select["first"]]
            self.forms[-1]["fields"].extend([self._select["name"], v] for v in chosen)
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def post_form(html, page_url, has_field, *, to_itself=False):
    """(action URL, fields as a dict of lists) of the first POST form holding `has_field`
    (and, `to_itself`, sent to the page's own address); (None, None) when there is none."""
    reader = FormReader()
    reader.feed(html)
    for form in reader.forms:
        names = {name for name, _value in form["fields"]}
        action = urljoin(page_url, form["action"])
        if to_itself and urlsplit(action).path != urlsplit(page_url).path:
            continue
        if form["method"] == "post" and has_field in names:
            fields = {}
            for name, value in form["fields"]:
                fields.setdefault(name, []).append(value)
            return action, fields
    return None, None
