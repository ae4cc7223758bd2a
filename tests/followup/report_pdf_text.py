"""Reading a report PDF as a reader sees it: each page's words with their boxes
(``pdftotext -bbox``, poppler-utils), and its text."""

import re
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

# The report's page margins (report.css: 25 mm top and bottom); the running header and the
# page number live there and are not what fills a page.
MARGIN_PT = 25 / 25.4 * 72


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def body(self) -> list[Word]:
        return [w for w in self.words if w.y0 >= MARGIN_PT - 1 and w.y1 <= self.height - MARGIN_PT]

    @property
    def fill(self) -> float:
        """How far down the page its text reaches: the lowest body word's bottom / height."""
        return max((w.y1 for w in self.body), default=0.0) / self.height

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>'
)


def pdf_pages(path: Path) -> list[Page]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        Page(
            width=float(m[1]),
            height=float(m[2]),
            words=[
                Word(float(a), float(b), float(c), float(d), unescape(t))
                for a, b, c, d, t in _WORD.findall(m[3])
            ],
        )
        for m in _PAGE.finditer(out)
    ]


def flat(text: str) -> str:
    """Text with hyphenation at line ends undone and all whitespace as single spaces."""
    text = re.sub(r"[\u2010\u00ad-]\s+(?=[a-zåäö])", "", text)
    return re.sub(r"\s+", " ", text).strip()
