"""Turn pydantic validation errors into diagnostics that name the file, line, column and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Tag, ValidationError

from policypress.core.diagnostics import Diagnostics, Suggestion
from policypress.core.messages import gettext as _
from policypress.source.sourceyaml import YamlDocument, read_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)


def _user_path(loc: tuple[int | str, ...], data: Any) -> tuple[int | str, ...]:
    """The part of a pydantic error location that names keys in the user's file.

    pydantic inserts names of union members and validators into locations; those are skipped.
    """
    path: list[int | str] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
            path.append(part)
    return tuple(path)


def _dotted(path: tuple[int | str, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _allowed_keys(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The field names of the sub-model at ``loc`` (best effort, for "did you mean")."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if tagged := _tagged_member(current, part):  # pydantic names a tagged union's member
            current = tagged
            continue
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                break
            current = field.annotation
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _tagged_member(annotation: Any, tag: str) -> type[BaseModel] | None:
    """The member of a tagged union (``Annotated[Model, Tag(tag)]``) that ``tag`` names."""
    for arg in getattr(annotation, "__args__", ()) or ():
        for meta in getattr(arg, "__metadata__", ()):
            if isinstance(meta, Tag) and meta.tag == tag:
                inner = arg.__origin__
                return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
        if found := _tagged_member(arg, tag):
            return found
    return None


def _unwrap(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        inner = _unwrap(arg)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return annotation


def validate_document(
    model: type[ModelT], doc: YamlDocument, diags: Diagnostics, *, what: str
) -> ModelT | None:
    """Validate ``doc.data`` against ``model``; report each problem at its source position."""
    data = doc.data
    if not isinstance(data, dict):
        message = (
            _("%(what)s is nothing; expected a mapping of keys")
            if data is None
            # the YAML value's Python type ("list", "str"), as it is named in Python
            else _("%(what)s is a %(type)s; expected a mapping of keys")
        )
        diags.error(
            doc.path, doc.position(()), message % {"what": what, "type": type(data).__name__}
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # An invalid mapping key (pydantic's "[key]") makes errors about its value noise.
        bad_keys = [tuple(e["loc"][:-1]) for e in errors if e["loc"] and e["loc"][-1] == "[key]"]
        for err in errors:
            loc = tuple(err["loc"])
            if any(loc[: len(k)] == k and loc[-1] != "[key]" for k in bad_keys):
                continue
            if not _explained_by_misspelling(model, err, errors):
                _report(model, doc, diags, err)
        return None


def read_yaml_file(path: Path, diags: Diagnostics) -> YamlDocument | None:
    """Read and parse one YAML file, with the position of every key and value; None after
    reporting why it cannot be read. For files whose shape the caller checks itself (the
    site's ``mkdocs.yml``) or where only positions are wanted (a warning at a setting)."""
    read = read_yaml(path, diags)
    return read[1] if read is not None else None


def validated(
    model: type[ModelT],
    doc: YamlDocument | None,
    diags: Diagnostics,
    *,
    what: str,
    empty: ModelT | None = None,
) -> tuple[ModelT, YamlDocument] | None:
    """A YAML file's document (None: it could not be read) validated; the document is kept
    for positions. An empty file is ``empty`` when given (otherwise an error)."""
    if doc is not None and doc.data is None and empty is not None:
        return empty, doc
    data = validate_document(model, doc, diags, what=what) if doc is not None else None
    return (data, doc) if data is not None and doc is not None else None


def _explained_by_misspelling(model: type[BaseModel], err: Any, errors: list[Any]) -> bool:
    """A missing key that an unknown key beside it is a misspelling of ("titel" for "title")."""
    if err["type"] != "missing":
        return False
    parent, key = tuple(err["loc"][:-1]), str(err["loc"][-1])
    for other in errors:
        loc = tuple(other["loc"])
        if (
            other["type"] == "extra_forbidden"
            and loc[:-1] == parent
            and Suggestion(str(loc[-1]), tuple(_allowed_keys(model, parent))).closest() == key
        ):
            return True
    return False


def _report(model: type[BaseModel], doc: YamlDocument, diags: Diagnostics, err: Any) -> None:
    loc: tuple[int | str, ...] = tuple(err["loc"])
    kind = err["type"]
    if kind == "missing":
        parent = _user_path(loc[:-1], doc.data)
        pos = doc.position(parent)
        key = str(loc[-1])
        wording = (
            _("missing required key '%(key)s' in '%(parent)s'")
            if parent
            else _("missing required key '%(key)s'")
        )
        diags.error(doc.path, pos, wording % {"key": key, "parent": _dotted(parent)})
        return
    if kind == "extra_forbidden":
        path = _user_path(loc, doc.data)
        pos = doc.position(path, of_key=True)
        key = str(loc[-1])
        allowed = _allowed_keys(model, loc[:-1])
        diags.error(
            doc.path,
            pos,
            _("unknown key '%(key)s'") % {"key": key},
            Suggestion(key, tuple(allowed)),
        )
        return
    path = _user_path(loc, doc.data)
    pos = doc.position(path)
    # A validator's own ValueError, worded with _(), as it is (pydantic's "msg" prefixes it
    # with English); pydantic's own messages for its checks are in English.
    raised = err.get("ctx", {}).get("error") if kind == "value_error" else None
    message = str(raised) if raised is not None else str(err["msg"])
    found = err.get("input")
    quiet = (
        isinstance(found, (dict, list))
        or found is None
        or repr(found) in message
        or str(found) in message
    )
    wording = _("%(key)s: %(problem)s") if quiet else _("%(key)s: %(problem)s (found %(found)r)")
    label = _dotted(path) or _("value")
    diags.error(doc.path, pos, wording % {"key": label, "problem": message, "found": found})
