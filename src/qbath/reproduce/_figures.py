"""Figure helpers shared by the reproductions: pyplot-free figures, a line-style key, a parameter
line, symbols in legends. (Single-quantity plots use :mod:`qbath.plot`.)"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .._optional import require

__all__ = ["new_figure", "style_key", "legend", "title", "save", "sym", "draw_figures"]

#: TeX symbols of the parameters that label curves.
SYMBOLS = {
    "beta": r"\beta",
    "kappa": r"\kappa",
    "alpha": r"\alpha",
    "omega": r"\Omega",
    "dt": r"\Delta t",
}


def sym(name: str, value: float) -> str:
    """``"$\\beta$ = 0.5"`` for ``("beta", 0.5)``."""
    return f"${SYMBOLS.get(name, name)}$ = {value:g}"


def new_figure(
    nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] = (10, 4), **kw: Any
) -> tuple[Any, Any]:
    """A matplotlib ``Figure`` (no pyplot, no GUI backend) with constrained layout, and its axes."""
    Figure = require("matplotlib.figure", extra="plot", purpose="reproduction figures").Figure
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.subplots(nrows, ncols, squeeze=False, **kw)


def style_key(styles: Sequence[tuple[str, str]], color: str = "k") -> list[Any]:
    """Legend handles for line styles, e.g. ``[("-", "exact map"), ("--", "second-order map")]``."""
    Line2D = require("matplotlib.lines", extra="plot", purpose="reproduction figures").Line2D
    return [Line2D([], [], color=color, ls=ls, lw=1.2, label=label) for ls, label in styles]


def legend(ax: Any, extra: Sequence[Any] = (), *, outside: bool = False, **kw: Any) -> Any:
    """The axes' labelled curves followed by ``extra`` handles (a :func:`style_key`); with
    ``outside`` to the right of the axes, clear of the data."""
    handles, _ = ax.get_legend_handles_labels()
    kw.setdefault("fontsize", 8)
    if outside:
        kw.update(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    return ax.legend(handles=[*handles, *extra], **kw)


def title(fig: Any, what: str, parameters: str) -> None:
    """A two-line figure title: what is shown, then the parameters (smaller)."""
    fig.suptitle(f"{what}\n{parameters}", fontsize=10)


def save(fig: Any, path: Path, dpi: int = 110) -> Path:
    """Write ``fig`` to ``path`` (PNG) and return the path."""
    fig.savefig(path, dpi=dpi)
    return Path(path)


def draw_figures(
    ds: Any,
    out: Path,
    figures: Sequence[tuple[str, Callable[[Any, Any], None], tuple[float, float]]],
    dpi: int = 110,
) -> list[Path]:
    """Draw each ``(file name, draw, figsize)`` of ``figures`` into the folder ``out``.

    ``draw(ds, fig)`` fills a fresh pyplot-free ``Figure`` of size ``figsize``; the figure is then
    laid out tight and written as PNG at ``dpi``. Returns the paths, in order.
    """
    Figure = require("matplotlib.figure", extra="plot", purpose="the reproduction's figures").Figure
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, draw, size in figures:
        fig = Figure(figsize=size)
        draw(ds, fig)
        fig.tight_layout()
        paths.append(out / name)
        fig.savefig(paths[-1], dpi=dpi)
    return paths
