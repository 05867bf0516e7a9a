"""What the app is built from, and under which licences, read from installed package metadata.

DSAR Desk ships as a proprietary one-folder bundle, so no runtime dependency may be GPL or
AGPL (LGPL is fine while the library stays a separate, replaceable file). The list is not
kept by hand: it is the dependency tree of the installed `dsar-desk` distribution, walked
through each package's `Requires-Dist` (extras and markers for other platforms left out),
so a dependency that comes in through another one is seen too. THIRD-PARTY-NOTICES and
Help ▸ About are made from the same walk (`app.notices`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

APP_DISTRIBUTION = "dsar-desk"

# "GPL", "GPLv3", "GPL-3.0-or-later", "AGPL-3.0", "GNU General Public License v3 (GPLv3)",
# "GNU Affero ...": yes. "LGPL-3.0", "GNU Lesser/Library General Public License": no.
_STRONG_COPYLEFT = re.compile(
    r"(?<![A-Za-z])A?GPL|GNU\s+(Affero\s+)?General\s+Public\s+Licen[cs]e|Affero",
    re.IGNORECASE,
)
_WEAK_COPYLEFT = re.compile(r"LGPL|Lesser\s+General|Library\s+(or\s+Lesser\s+)?General", re.I)
# Licence metadata written as an expression: "LGPL-3.0-only OR GPL-2.0-only" lets us choose.
_OR = re.compile(r"\s+OR\s+|\s*/\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Component:
    """One installed distribution the app needs at run time."""

    name: str
    version: str
    licence: str  # as the package declares it (expression, field or classifiers)
    required_by: str  # the first package found that needs it (the tree's parent)
    gpl_only: bool  # no choice but the GPL or AGPL: cannot ship in a proprietary bundle


class MissingDependency(LookupError):
    """A runtime requirement is not installed: the environment is not the one we ship."""


def runtime_components(
    root: str = APP_DISTRIBUTION,
    *,
    distribution: Callable[[str], metadata.Distribution] = metadata.distribution,
) -> list[Component]:
    """Every distribution `root` needs at run time (not `root` itself), in walk order."""
    environment = default_environment()
    seen: dict[str, Component] = {}
    queue: list[tuple[str, str]] = [(root, "")]
    while queue:
        name, parent = queue.pop(0)
        key = canonicalize_name(name)
        if key in seen or (parent == "" and seen):
            continue
        try:
            dist = distribution(name)
        except metadata.PackageNotFoundError as error:
            raise MissingDependency(f"{name} (needed by {parent or 'the app'})") from error
        if parent:
            seen[key] = Component(
                name=dist.metadata["Name"],
                version=dist.version,
                licence=declared_licence(dist.metadata),
                required_by=parent,
                gpl_only=is_strong_copyleft(dist.metadata),
            )
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate(
                {**environment, "extra": ""}
            ):
                continue  # an extra (tests, builds) or another platform's dependency
            if canonicalize_name(requirement.name) not in seen:
                queue.append((requirement.name, dist.metadata["Name"]))
    return list(seen.values())


def declared_licence(meta: metadata.PackageMetadata) -> str:
    """The licence as the package states it: its SPDX expression, else its License field
    (first line, when a whole licence text was pasted there), else its classifiers."""
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    field = (meta.get("License") or "").strip()
    first_line = field.splitlines()[0].strip() if field else ""
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::") and c.count("::") >= 2
    ]
    parts = [first_line] if first_line and first_line.upper() != "UNKNOWN" else []
    parts += [c for c in classifiers if c not in parts]
    return "; ".join(parts) if parts else "not declared"


def is_strong_copyleft(meta: metadata.PackageMetadata) -> bool:
    """True when the package can only be had under the GPL or AGPL.

    An expression with a non-GPL alternative ("LGPL-3.0-only OR GPL-3.0-only") is fine: we
    take the alternative. Without an SPDX expression, any GPL statement (License field or a
    classifier) counts: better a false alarm to look at than a GPL library shipped unseen.
    """
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return _every_choice_gpl(expression)
    field = (meta.get("License") or "").strip()
    if field and _every_choice_gpl(field.splitlines()[0]):
        return True
    return any(
        _is_gpl(c.split("::", 1)[1])
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    )


def _every_choice_gpl(expression: str) -> bool:
    choices = [c for c in _OR.split(expression.strip("() ")) if c.strip()]
    return bool(choices) and all(_is_gpl(choice) for choice in choices)


def _is_gpl(text: str) -> bool:
    return bool(_STRONG_COPYLEFT.search(text)) and not _WEAK_COPYLEFT.search(text)


def is_weak_copyleft_text(licence: str) -> bool:
    """True for an LGPL statement (which asks for notices and a source offer)."""
    return bool(_WEAK_COPYLEFT.search(licence))
