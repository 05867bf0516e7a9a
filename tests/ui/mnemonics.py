"""Alt+letter mnemonics a user sees at once: two visible places with one letter means the
key reaches the first and the second only on a second press."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar, QWidget


def visible_mnemonics(root: QWidget) -> list[str]:
    """The Alt+letter of every visible tab, button and buddied label under `root`."""
    texts: list[str] = []
    for bar in root.findChildren(QTabBar):
        if bar.isVisible():
            texts += [bar.tabText(i) for i in range(bar.count()) if bar.isTabVisible(i)]
    for button in root.findChildren(QAbstractButton):
        if button.isVisible():
            texts.append(button.text())
    for label in root.findChildren(QLabel):
        if label.isVisible() and label.buddy() is not None:
            texts.append(label.text())
    letters = []
    for text in texts:
        plain = text.replace("&&", "")
        if "&" in plain:
            letters.append(plain[plain.index("&") + 1].lower())
    return letters


def clashing_mnemonics(root: QWidget) -> list[str]:
    letters = visible_mnemonics(root)
    return sorted({letter for letter in letters if letters.count(letter) > 1})
