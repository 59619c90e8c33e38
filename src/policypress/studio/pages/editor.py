"""Edit a policy's working text clause by clause: each clause's heading and text as a form,
saved, moved, split, deleted or added to one at a time; a live preview as the site shows it;
check's messages beside the clause they concern. Every action is a form post that works
without the script."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from policypress.content.images import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, image_problems
from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.core.safefile import read_bytes
from policypress.studio import clauses, editor
from policypress.studio.context import SentForm, Studio, not_found, sent_form
from policypress.studio.forms import Problem, by_field
from policypress.studio.policies import policy_file
from policypress.studio.preview import Preview, preview_clause
from policypress.studio.rendering import render

_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".svg": "image/svg+xml"}
# What the page says, beside the clause, after each action.
DONE = {
    "save": N_("Your changes to this clause are saved."),
    "image": N_("The image is added at the end of this clause and saved."),
    "up": N_("The clause is moved up."),
    "down": N_("The clause is moved down."),
    "add": N_("The new clause is added."),
    "split": N_("The clause is split: this is its second part."),
    "delete": N_("The clause is deleted: this is the clause before it."),
}
STEPS = ("add", "split", "delete")


@dataclass
class State:
    """What the editor shows besides the file: a clause's text as typed (not yet saved),
    problems, a conflict, a preview, what was just done."""

    typed: dict[int, tuple[str, str]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    conflict: str | None = None
    conflict_at: int | None = None
    previews: dict[int, Preview] = field(default_factory=dict)
    done: tuple[int, str] | None = None  # (clause, sentence)
    notes: dict[int, str] = field(default_factory=dict)


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    async def edit_page(request: Request) -> Response:
        slug = request.path_params["slug"]
        editing = await run_in_threadpool(editor.read_editing, project, slug)
        if editing is None:
            return not_found(request, studio.language())
        state = State()
        if request.method == "GET":
            done = request.query_params.get("done")
            index = editing.index_of(request.query_params.get("clause", ""))
            if done in DONE and index is not None:
                state.done = (index, _(DONE[done]))
            return _page(request, studio, editing, state)
        sent = await sent_form(request)
        action, clause_id = sent.one("action"), sent.one("clause")
        heading, text = sent.one("heading"), sent.one("text")
        index = editing.index_of(clause_id)
        if index is None and action != "save":
            return not_found(
                request, studio.language(), _("That clause is no longer in the policy.")
            )
        if index is None:  # deleted in another tab: the save's conflict shows what was typed
            outcome = await run_in_threadpool(
                editor.apply, project, slug, sent.one("base"), editor.edit(clause_id, heading, text)
            )
            return await _refused(request, studio, editing, outcome, clause_id, heading, text)
        state.typed[index] = (heading, text)
        if action == "preview":
            found = await run_in_threadpool(preview_clause, project, slug, clause_id, heading, text)
            if found is not None:
                state.previews[index] = found
            return _page(request, studio, editing, state)
        if action == "insert":
            inserted = editor.insert_variable(
                text, sent.one("variable").strip(), [key for key, _value in editing.variables]
            )
            if inserted is None:
                state.problems = (
                    Problem(f"clause-{index}-variable", _("Choose a variable from the list.")),
                )
                return _page(request, studio, editing, state, status_code=422)
            state.typed[index] = (heading, inserted)
            state.notes[index] = _("The variable is added at the end of the text: save to keep it.")
            return _page(request, studio, editing, state)
        if action in ("up", "down"):
            clause = editing.file.clauses[index]
            if (" ".join(heading.split()), clauses.normalised(text)) != (
                clause.title,
                clause.text,
            ):
                state.problems = (
                    Problem(
                        f"clause-{index}-text",
                        _("Save (or undo) your changes to this clause before moving it."),
                    ),
                )
                return _page(request, studio, editing, state, status_code=422)
            change = editor.move(clause_id, up=action == "up")
            outcome = await run_in_threadpool(editor.apply, project, slug, sent.one("base"), change)
        elif action == "image":
            upload = _upload(sent)
            outcome = await run_in_threadpool(
                editor.add_image,
                project,
                slug,
                sent.one("base"),
                clause_id,
                heading,
                text,
                upload,
                index,
            )
        else:
            change = editor.edit(clause_id, heading, text)
            outcome = await run_in_threadpool(editor.apply, project, slug, sent.one("base"), change)
        if outcome.ok:
            return _back(slug, action if action in DONE else "save", outcome.anchor or clause_id)
        return await _refused(request, studio, editing, outcome, clause_id, heading, text)

    async def step_page(request: Request) -> Response:
        """The pages of the actions that ask one more thing: add, split, delete."""
        slug, step = request.path_params["slug"], request.url.path.rpartition("/")[2]
        editing = await run_in_threadpool(editor.read_editing, project, slug)
        if editing is None or step not in STEPS:
            return not_found(request, studio.language())
        if request.method == "GET":
            clause_id = request.query_params.get("clause", "")
            index = editing.index_of(clause_id)
            if index is None and not (step == "add" and not clause_id):
                return not_found(
                    request, studio.language(), _("That clause is no longer in the policy.")
                )
            return _step(request, studio, editing, step, index, {})
        sent = await sent_form(request)
        clause_id = sent.one("clause")
        index = editing.index_of(clause_id)
        if step == "delete":
            change = editor.delete(clause_id)
        elif step == "add":
            change = editor.add(
                clause_id or None,
                sent.one("where") == "inside",
                sent.one("heading"),
                sent.one("text"),
            )
        else:
            after = sent.one("after")
            change = editor.split(
                clause_id, int(after) if after.isdigit() else 0, sent.one("heading")
            )
        outcome = await run_in_threadpool(editor.apply, project, slug, sent.one("base"), change)
        if outcome.ok:
            anchor = outcome.anchor or ""
            return _back(slug, step, anchor)
        fresh = await run_in_threadpool(editor.read_editing, project, slug) or editing
        values = {name: sent.one(name) for name in ("heading", "text", "where", "after")}
        problems = outcome.problems  # at this page's fields, or with their file and line
        return _step(
            request,
            studio,
            fresh,
            step,
            fresh.index_of(clause_id) if clause_id else index,
            values,
            problems=problems,
            conflict=outcome.conflict is not None,
            status_code=409 if outcome.conflict else 422,
        )

    async def preview(request: Request) -> Response:
        """The clause as typed, as the site shows it: a fragment the script puts in the
        clause's live region."""
        slug = request.path_params["slug"]
        sent = await sent_form(request)
        found = await run_in_threadpool(
            preview_clause, project, slug, sent.one("clause"), sent.one("heading"), sent.one("text")
        )
        if found is None:
            return Response(status_code=404)
        return render(
            request,
            "editor_preview.html.j2",
            title="",
            language=studio.language(),
            preview=found,
        )

    async def image(request: Request) -> Response:
        """An image the working text shows, for the preview: only a policy's images/ file,
        read through the gate, of a type its bytes prove (an SVG only as a plain drawing)."""
        slug, name = request.path_params["slug"], request.path_params["name"]
        path = policy_file(project, slug)
        suffix = IMAGE_SUFFIXES.get("." + name.rpartition(".")[2].lower())
        if path is None or suffix is None or "/" in name or name.startswith("."):
            return Response(status_code=404)
        file = path.parent / editor.IMAGES_DIR / name
        data = read_bytes(file, Diagnostics(project.root), limit=MAX_IMAGE_BYTES)
        if data is None or image_problems(data, suffix):
            return Response(status_code=404)
        return Response(data, media_type=_IMAGE_TYPES[suffix])

    return [
        Route("/policies/{slug}/edit", studio.page(edit_page), methods=["GET", "POST"]),
        Route("/policies/{slug}/preview", studio.page(preview), methods=["POST"]),
        Route("/policies/{slug}/images/{name}", image),
        *(
            Route(
                f"/policies/{{slug}}/edit/{step}", studio.page(step_page), methods=["GET", "POST"]
            )
            for step in STEPS
        ),
    ]


async def _refused(
    request: Request,
    studio: Studio,
    editing: editor.Editing,
    outcome: editor.Outcome,
    clause_id: str,
    heading: str,
    text: str,
) -> Response:
    """The editor as the file is now, the clause's form holding what was typed, with the
    problems (422) or the conflict (409) that stopped the change; nothing was written."""
    if outcome.ok:
        return _back(editing.slug, "save", outcome.anchor or clause_id)
    fresh = await run_in_threadpool(editor.read_editing, studio.project, editing.slug) or editing
    state = State(problems=outcome.problems, conflict=outcome.conflict)
    now = fresh.index_of(clause_id)
    if now is not None:
        state.typed[now] = (heading, text)
        state.conflict_at = now
    status = 409 if outcome.conflict is not None else 422
    return _page(request, studio, fresh, state, status_code=status)


def _upload(sent: SentForm) -> editor.ImageUpload | None:
    files = sent.files.get("image", [])
    alt, caption = sent.one("alt"), sent.one("caption")
    if not files:
        return editor.ImageUpload("", b"", alt, caption) if alt.strip() else None
    return editor.ImageUpload(files[0].filename, files[0].data, alt, caption)


def _back(slug: str, done: str, clause_id: str) -> Response:
    anchor = quote(clause_id)
    return RedirectResponse(
        f"/policies/{slug}/edit?done={done}&clause={anchor}#clause-{anchor}", status_code=303
    )


def _page(
    request: Request,
    studio: Studio,
    editing: editor.Editing,
    state: State,
    *,
    status_code: int = 200,
) -> Response:
    title = _("Edit %(policy)s – policypress studio") % {"policy": editing.title}
    failed = state.problems or state.conflict
    return render(
        request,
        "editor.html.j2",
        title=_("Error: %(title)s") % {"title": title} if failed else title,
        language=studio.language(),
        editing=editing,
        state=state,
        problems=state.problems,
        by_field=by_field(state.problems),
        paragraphs=clauses.paragraphs,
        status_code=status_code,
    )


def _step(
    request: Request,
    studio: Studio,
    editing: editor.Editing,
    step: str,
    index: int | None,
    values: dict[str, str],
    *,
    problems: tuple[Problem, ...] = (),
    conflict: bool = False,
    status_code: int = 200,
) -> Response:
    clause = editing.file.clauses[index] if index is not None else None
    names = {
        "add": _("Add a clause"),
        "split": _("Split a clause"),
        "delete": _("Delete a clause"),
    }
    title = _("%(step)s: %(policy)s – policypress studio") % {
        "step": names[step],
        "policy": editing.title,
    }
    below = editing.file.end_of_block(index) - index - 1 if index is not None else 0
    return render(
        request,
        "editor_step.html.j2",
        title=_("Error: %(title)s") % {"title": title} if problems or conflict else title,
        language=studio.language(),
        editing=editing,
        step=step,
        heading=names[step],
        index=index,
        clause=clause,
        label=editing.labels[index] if index is not None else "",
        below=below,
        deepest=clauses.DEEPEST,
        parts=clauses.paragraphs(clause.text) if clause is not None else [],
        values=values,
        problems=problems,
        by_field=by_field(problems),
        conflict=conflict,
        status_code=status_code,
    )
