"""The one root of the library's exceptions.

Every error a person can act on (bad config, a template error, a failed engine, a leak
found by the guard, a revision that cannot be built) is a ``KtreportError``: its message
is the sentence to show, with what to do. Anything else that escapes is a bug: the command
line and the rule scripts then show a short message and keep the traceback in the log.
"""

from __future__ import annotations


class KtreportError(Exception):
    """A problem a person can act on; ``str(error)`` is the message to show them."""


class AggregateError(KtreportError):
    """A processed table is missing or unreadable; the message says which and what to do."""


class RenderProblem(KtreportError):
    """The report cannot be rendered; the message says why and what to do.

    Shared by stage 4a, which chooses the renderer (``ktreport.chapters.renderer``), and
    stage 4b, which runs it (``ktreport.render``).
    """
