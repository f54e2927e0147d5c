"""Platform text in places where Qt guesses the format: tooltips.

``QToolTip`` (and an item view's ``ToolTipRole``) decides by ``Qt::mightBeRichText``: a title or
a community name containing markup is rendered as HTML, and Qt then reads any local file an
``<img>`` in it names (on Windows a UNC path means an SMB connection). Tooltips that show
platform text therefore go through :func:`plain_tooltip`, which Qt shows literally.
"""

from __future__ import annotations

from PySide6.QtGui import Qt


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip that shows exactly these characters (escaped, line breaks kept)."""
    if not text:
        return text
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
