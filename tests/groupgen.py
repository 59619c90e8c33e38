"""A synthetic group of schools for scripts/bench.py --schools and its smoke test.

Built from the example trust (examples/trust) without running approve or adopt: a model's
history and a school's adoptions hash only texts and versions, never a slug or a school's
name, so copies stay valid. Each of the trust's three models is copied until there are
``policies`` of them, and the first school (with its local text and adoptions) until there are
``schools``; each copy gets its own name, so every school's PDFs are its own. The trust's
agreements, posters and learning points come along, so each school also gets its forms,
posters and quizzes, as a real trust's schools would.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "trust"
MODELS = ("online-safety", "mobile-devices", "staff-social-media")
TEMPLATE_SCHOOL = "ashby-road-infant"


def _model_slug(index: int) -> str:
    base = MODELS[index % len(MODELS)]
    return base if index < len(MODELS) else f"{base}-{index // len(MODELS) + 1}"


def write_group(root: Path, schools: int, policies: int = 10) -> Path:
    """The group project at ``root``; returns ``root``."""
    shutil.copytree(EXAMPLE, root, symlinks=False, ignore=shutil.ignore_patterns("build"))
    for folder in (root / "schools").iterdir():
        shutil.rmtree(folder)
    models = root / "content" / "policies"
    for index in range(len(MODELS), policies):
        slug = _model_slug(index)
        shutil.copytree(models / MODELS[index % len(MODELS)], models / slug)
        policy = models / slug / "policy.md"
        text = policy.read_text(encoding="utf-8")
        policy.write_text(
            re.sub(r"^title: (.*)$", rf"title: \1 ({index + 1})", text, count=1, flags=re.M),
            encoding="utf-8",
        )
    template = EXAMPLE / "schools" / TEMPLATE_SCHOOL
    for number in range(1, schools + 1):
        school = root / "schools" / f"school-{number:03}"
        (school / "local").mkdir(parents=True)
        (school / "policies").mkdir()
        for index in range(policies):
            slug, base = _model_slug(index), MODELS[index % len(MODELS)]
            shutil.copyfile(template / "local" / f"{base}.md", school / "local" / f"{slug}.md")
            shutil.copytree(template / "policies" / base, school / "policies" / slug)
        facts = (template / "school.yml").read_text(encoding="utf-8")
        facts = facts.replace("Ashby Road Infant School", f"Synthetic School {number:03}")
        # a primary school, so each synthetic school gets every form, poster and quiz
        facts = facts.replace("phase: infant", "phase: primary")
        (school / "school.yml").write_text(
            facts.replace("ashby-road-infant", f"school-{number:03}"), encoding="utf-8"
        )
    return root
