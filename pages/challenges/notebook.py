"""A challenge as a notebook in plain PyTorch: the texts in the learner's language (the catalog), the cells from
core.challenges.reproduce (set-up, the starting code the learner edits, and an `assert` check that fails until the
code is right). Built from the challenge's definition, never from the learner's text."""

from __future__ import annotations

import functools

from core.challenges.catalog import Challenge
from core.challenges.reproduce import cells
from core.notebooks import ChallengeTexts, challenge_notebook
from dashboard.i18n import current_lang, translate_plain


def notebook(challenge: Challenge) -> functools.partial[str]:
    """The challenge's notebook in the session's language, for a deferred download (the language is read now: the
    click's thread has no session)."""
    return notebook_in(challenge, current_lang())


def notebook_in(challenge: Challenge, lang: str) -> functools.partial[str]:
    """The challenge's notebook in `lang`, built when called."""

    def text(key: str) -> str:
        return translate_plain(lang, key)

    setup, starting, check = cells(challenge.id)
    texts = ChallengeTexts(
        run_note=text("export.notebook_how"),
        task=text("challenges.notebook.task"),
        your_code=text("challenges.notebook.your_code"),
        check=text("challenges.notebook.check"),
    )
    return functools.partial(
        challenge_notebook,
        title=f"Eager Lab: {text(challenge.title)}",
        task_md=text(challenge.task),
        setup_code=setup,
        starting_code=starting,
        check_code=check,
        lang=lang,
        texts=texts,
    )
