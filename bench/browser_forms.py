"""The forms of a page as a browser sends them, for the rush's simulated coordinators
(bench/locustfile.py) and its in-process replay (bench/profile_requests.py).

selectolax (lexbor, an HTML5 parser in C) reads the page: the simulated browsers share the
web workers' two cores, and Python's html.parser cost them 1.9 ms a page."""

from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

BUTTONS = {"submit", "button", "image", "reset", "file"}


def form_fields(form):
    """[(name, value)] of a parsed form as a browser sends it: enabled fields (an empty text
    box too), checked boxes, selected options (a single select's first when none is), no
    buttons or files. (HTML5 parsing already drops the newline that follows <textarea>.)"""
    fields = []
    for field in form.css("input, textarea, select"):
        attributes = field.attributes
        name = attributes.get("name")
        if not name or "disabled" in attributes:
            continue
        if field.tag == "select":
            options = [option.attributes for option in field.css("option")]
            chosen = [option.get("value") or "" for option in options if "selected" in option]
            if not chosen and options and "multiple" not in attributes:
                chosen = [options[0].get("value") or ""]
            fields.extend((name, value) for value in chosen)
        elif field.tag == "textarea":
            fields.append((name, field.text(deep=True)))
        else:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    fields.append((name, attributes.get("value") or "on"))
            elif kind not in BUTTONS:
                fields.append((name, attributes.get("value") or ""))
    return fields


def post_form(html, page_url, has_field, *, to_itself=False):
    """(action URL, fields as a dict of lists, headers) of the first POST form holding
    `has_field` (and, `to_itself`, sent to the page's own address), sent as a browser with
    JavaScript sends it (see `htmx_request`); (None, None, None) when there is none."""
    for form in LexborHTMLParser(html).css("form"):
        action = urljoin(page_url, form.attributes.get("action") or "")
        if to_itself and urlsplit(action).path != urlsplit(page_url).path:
            continue
        if (form.attributes.get("method") or "get").lower() != "post":
            continue
        fields = {}
        for name, value in form_fields(form):
            fields.setdefault(name, []).append(value)
        if has_field in fields:
            action, headers = htmx_request(form, action, page_url)
            return action, fields, headers
    return None, None, None


def htmx_request(form, action, page_url):
    """(address, headers) htmx sends `form` with, as this portal's templates mark it: a form
    with hx-post to that address, its hx-target named; a form with hx-boost="true" to its
    own action, as a boosted request (the answer is a whole page). Other forms: as is."""
    attributes = form.attributes
    headers = {"HX-Request": "true", "HX-Current-URL": page_url}
    if attributes.get("hx-post"):
        target = attributes.get("hx-target") or ""
        if target.startswith("#"):
            headers["HX-Target"] = target[1:]
        return urljoin(page_url, attributes["hx-post"]), headers
    if attributes.get("hx-boost") == "true":
        return action, {**headers, "HX-Boosted": "true"}
    return action, {}
