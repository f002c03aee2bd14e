"""The slides of a briefing deck (python-pptx): a native 16:9 presentation and the few kinds
of slide the briefing uses, every text as real text.

python-pptx cannot measure text, so the height of a text is estimated from its length at a
generous average character width; a text that does not fit at the smallest size a slide
allows goes on as many continuation slides as it needs, so nothing runs off a slide.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from .text import printable

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.55)
BODY_TOP, BODY_H = Inches(1.35), Inches(5.45)
BODY_W = SLIDE_W - 2 * MARGIN
CHAR_EM = 0.5  # average character width in ems, on the wide side (fonts differ between programs)
LINE = 1.2  # line height in ems
GREY, CAVEAT_RED, DARK = RGBColor(0x55, 0x55, 0x55), RGBColor(0xB0, 0x3A, 0x2E), RGBColor(0x11, 0x11, 0x11)
# The default template's layouts.
_TITLE_SLIDE, _TITLE_AND_CONTENT, _TITLE_ONLY = 0, 1, 5


def clean(text: str) -> str:
    """Text a slide can hold: control characters as escapes, lone surrogates escaped."""
    return printable(str(text)).encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True)
class Para:
    """A paragraph of a text slide: a point (level 0), a point under it (1), or a heading (-1)."""

    text: str
    level: int = 0


def heading(text: str) -> Para:
    return Para(text, -1)


def _lines(text: str, size: float, width_pt: float) -> int:
    per_line = max(1, int(width_pt / (CHAR_EM * size)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _para_pt(p: Para, size: float, width_pt: float) -> float:
    """The estimated height of a paragraph, in points, with the space after it."""
    size = size * 1.05 if p.level < 0 else size * (0.9 if p.level > 0 else 1.0)
    indent = 0 if p.level < 0 else 0.5 * size * (1 + p.level)
    return _lines(p.text, size, width_pt - indent - 14) * LINE * size + 0.35 * size


def text_height_pt(paras: list[Para], size: float, width: int) -> float:
    return sum(_para_pt(p, size, Emu(width).pt) for p in paras)


def _split_long(p: Para, size: float, width_pt: float, room_pt: float) -> list[Para]:
    """A paragraph taller than a slide, cut at spaces into pieces that fit one each."""
    if _para_pt(p, size, width_pt) <= room_pt:
        return [p]
    chars = max(40, int(len(p.text) * room_pt / _para_pt(p, size, width_pt) * 0.95))
    pieces, rest = [], p.text
    while rest:
        cut = len(rest) if len(rest) <= chars else (rest.rfind(" ", 0, chars) + 1 or chars)
        pieces.append(Para(rest[:cut].strip(), p.level))
        rest = rest[cut:]
    return pieces


def paginate(paras: list[Para], sizes: tuple[float, ...], width: int, height: int) -> tuple[float, list[list[Para]]]:
    """The largest of ``sizes`` at which the paragraphs fit one slide; else the smallest, and the
    paragraphs in slides (a heading never last on a slide)."""
    for size in sizes:
        if text_height_pt(paras, size, width) <= Emu(height).pt:
            return size, [paras]
    size, room, width_pt = sizes[-1], Emu(height).pt, Emu(width).pt
    pages: list[list[Para]] = [[]]
    used = 0.0
    for p in (piece for q in paras for piece in _split_long(q, size, width_pt, room)):
        h = _para_pt(p, size, width_pt)
        if pages[-1] and used + h > room:
            carry = [pages[-1].pop()] if pages[-1][-1].level < 0 else []
            pages.append(carry)
            used = sum(_para_pt(q, size, width_pt) for q in carry)
        pages[-1].append(p)
        used += h
    return size, [page for page in pages if page]


def _widen(prs) -> None:
    """Make the default (4:3) template native 16:9: the slide size, and every placeholder of
    the master and its layouts stretched across (layouts first: theirs may inherit the master's)."""
    k = SLIDE_W / prs.slide_width
    master = prs.slide_master
    shapes = [ph for layout in master.slide_layouts for ph in layout.placeholders] + list(master.placeholders)
    for shape in shapes:
        shape.left, shape.width = int(shape.left * k), int(shape.width * k)
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H


def _runs(paragraph, text: str, size: float, color=DARK, bold=False, italic=False) -> None:
    run = paragraph.add_run()
    run.text = clean(text)
    font = run.font
    font.size, font.bold, font.italic = Pt(size), bold, italic
    font.color.rgb = color


def _no_bullet(paragraph) -> None:
    pPr = paragraph._p.get_or_add_pPr()
    pPr.set("marL", "0")
    pPr.set("indent", "0")
    pPr.insert(0, pPr.makeelement(qn("a:buNone"), {}))


def _frame(shape, word_wrap: bool = True):
    tf = shape.text_frame
    tf.word_wrap = word_wrap
    tf.auto_size = MSO_AUTO_SIZE.NONE
    return tf


def fill(shape, paras: list[Para], size: float) -> None:
    """Write paragraphs into a text shape or placeholder at ``size`` points."""
    tf = _frame(shape)
    tf.clear()
    for i, p in enumerate(paras):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        if p.level < 0:
            _no_bullet(para)
            para.space_before = Pt(0.3 * size) if i else Pt(0)
            _runs(para, p.text, size * 1.05, bold=True)
        else:
            para.level = p.level
            _runs(para, p.text, size * (0.9 if p.level else 1.0))
        para.space_after = Pt(0.3 * size)


Table = tuple[list[str], list[list[str]]]  # header, rows
_GAP = Inches(0.4)  # between tables side by side
_CELL_MARGIN_PT = 14.4  # a cell's left and right margins together


def _column_widths(table: Table, size: float, width: int) -> list[int]:
    """Each column after the first (numbers) as wide as its longest text, the first (names) the rest."""
    header, rows = table
    chars = [max(len(str(values[c])) for values in [header, *rows]) for c in range(1, len(header))]
    others = [int(Pt((n + 1) * CHAR_EM * size + _CELL_MARGIN_PT)) for n in chars]
    if sum(others) > 0.5 * width:
        others = [int(w * 0.5 * width / sum(others)) for w in others]
    return [width - sum(others), *others]


def _row_heights(table: Table, size: float, width: int) -> list[float]:
    """The estimated height of each row (header first), in points, its wrapped lines counted."""
    header, rows = table
    widths = [Emu(w).pt - _CELL_MARGIN_PT for w in _column_widths(table, size, width)]
    return [max(_lines(str(v), size, w) for v, w in zip(values, widths)) * LINE * size + 6
            for values in [header, *rows]]


def _table_pages(tables: list[Table], heights: list[list[float]], room: float):
    """The rows of tables side by side, as many on each slide as fit: per slide, each table
    with rows left as (table, row heights), its header on every slide."""
    rest = [(head, rows, h[0], h[1:]) for (head, rows), h in zip(tables, heights)]
    pages = []
    while any(rows for _, rows, _, _ in rest):
        page, left = [], []
        for head, rows, h0, hs in rest:
            n, used = 0, h0
            while n < len(rows) and (n == 0 or used + hs[n] <= room):  # a row at least, to go on
                used += hs[n]
                n += 1
            if n:
                page.append(((head, rows[:n]), [h0, *hs[:n]]))
            left.append((head, rows[n:], h0, hs[n:]))
        pages.append(page)
        rest = left
    return pages


class Deck:
    """A 16:9 presentation; every slide carries a footer (the scenario, the date, the caveat)."""

    def __init__(self, footer: str, caveat: str | None):
        self.prs = Presentation()
        _widen(self.prs)
        self.footer, self.caveat = footer, caveat

    def _slide(self, layout: int, title: str, size: float = 28):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.3), BODY_W, Inches(0.95)
        tf = _frame(shape)
        tf.text = ""
        size = paginate([heading(title)], (size, 24, 20), BODY_W, shape.height)[0]
        _runs(tf.paragraphs[0], title, size, bold=True)
        tf.paragraphs[0].alignment = PP_ALIGN.LEFT
        self._footer(slide)
        return slide

    def _footer(self, slide) -> None:
        box = slide.shapes.add_textbox(MARGIN, Inches(6.98), BODY_W - Inches(1.0), Inches(0.35))
        para = _frame(box, word_wrap=False).paragraphs[0]
        _runs(para, self.footer, 10, GREY)
        if self.caveat:
            _runs(para, "  ·  " + self.caveat, 10, CAVEAT_RED, italic=True)

    def title_slide(self, title: str, lines: list[str], caveat: str | None) -> None:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[_TITLE_SLIDE])
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(1.6), BODY_W, Inches(2.6)
        size, _ = paginate([heading(title)], (40, 34, 28, 24), BODY_W, shape.height)
        tf = _frame(shape)
        tf.text = ""
        _runs(tf.paragraphs[0], title, size, bold=True)
        sub = slide.placeholders[1]
        sub.left, sub.top, sub.width, sub.height = MARGIN, Inches(4.4), BODY_W, Inches(2.0)
        tf = _frame(sub)
        tf.text = ""
        for i, line in enumerate(lines + ([caveat] if caveat else [])):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            para.alignment = PP_ALIGN.CENTER
            is_caveat = caveat is not None and i == len(lines)
            _runs(para, line, 20, CAVEAT_RED if is_caveat else GREY, italic=is_caveat)

    def text(self, title: str, paras: list[Para], sizes: tuple[float, ...] = (22, 20, 18, 16, 14)) -> None:
        """One slide of points, or as many as they need ("(continued)" after the first)."""
        size, pages = paginate(paras, sizes, BODY_W, BODY_H)
        for i, page in enumerate(pages):
            slide = self._slide(_TITLE_AND_CONTENT, title if i == 0 else f"{title} (continued)")
            body = slide.placeholders[1]
            body.left, body.top, body.width, body.height = MARGIN, BODY_TOP, BODY_W, BODY_H
            fill(body, page, size)

    def picture(self, title: str, png: bytes) -> None:
        slide = self._slide(_TITLE_ONLY, title)
        slide.shapes.add_picture(io.BytesIO(png), MARGIN, BODY_TOP, BODY_W, BODY_H)

    def tables(self, title: str, tables: list[Table], below: list[Para]) -> None:
        """Tables side by side (numbers right-aligned) and a few points under them; rows that
        do not fit at 12 points go on continuation slides."""
        width = int((BODY_W - _GAP * (len(tables) - 1)) / len(tables))
        below_pt = text_height_pt(below, 14, BODY_W) + 18 if below else 0
        room = Emu(BODY_H).pt
        for size in (16, 14, 12):
            heights = [_row_heights(table, size, width) for table in tables]
            if max(sum(h) for h in heights) + below_pt <= room:
                self._tables(title, tables, heights, size, width, below)
                return
        pages = _table_pages(tables, heights, room)
        count, budget = len(pages), max(sum(h) for h in heights) / len(pages)
        while budget < room:  # as many slides, the rows shared out as evenly as that allows
            even = _table_pages(tables, heights, budget)
            if len(even) == count:
                pages = even
                break
            budget *= 1.05
        fits = max(sum(h) for _, h in pages[-1]) + below_pt <= room
        for i, page in enumerate(pages):
            with_below = below if fits and i == len(pages) - 1 else []
            self._tables(title if i == 0 else f"{title} (continued)", [t for t, _ in page],
                         [h for _, h in page], size, width, with_below)
        if below and not fits:
            self.text(f"{title} (continued)", below)

    def _tables(self, title, tables, heights, size, width, below) -> None:
        slide = self._slide(_TITLE_ONLY, title)
        below_pt = text_height_pt(below, 14, BODY_W) + 18 if below else 0
        for i, ((header, body), rows_pt) in enumerate(zip(tables, heights)):
            left = MARGIN + i * (width + _GAP)
            shape = slide.shapes.add_table(len(body) + 1, len(header), left, BODY_TOP, width, Pt(sum(rows_pt)))
            table = shape.table
            for c, column_width in enumerate(_column_widths((header, body), size, width)):
                table.columns[c].width = column_width
            for r, values in enumerate([header, *body]):
                table.rows[r].height = Pt(LINE * size + 6)  # a row grows to its text where it wraps
                for c, value in enumerate(values):
                    cell = table.cell(r, c)
                    cell.margin_top = cell.margin_bottom = Pt(2)
                    para = cell.text_frame.paragraphs[0]
                    para.alignment = PP_ALIGN.LEFT if c == 0 else PP_ALIGN.RIGHT
                    _runs(para, value, size, RGBColor(0xFF, 0xFF, 0xFF) if r == 0 else DARK, bold=r == 0)
        if below:  # at the foot of the body: the tables' estimated height leaves it room
            top = BODY_TOP + BODY_H - Pt(below_pt - 18)
            fill(slide.shapes.add_textbox(MARGIN, top, BODY_W, BODY_TOP + BODY_H - top), below, 14)

    def save(self) -> bytes:
        """The presentation's bytes, each slide numbered."""
        total = len(self.prs.slides)
        for n, slide in enumerate(self.prs.slides, start=1):
            box = slide.shapes.add_textbox(SLIDE_W - MARGIN - Inches(1.0), Inches(6.98), Inches(1.0), Inches(0.35))
            para = _frame(box, word_wrap=False).paragraphs[0]
            para.alignment = PP_ALIGN.RIGHT
            _runs(para, f"{n} / {total}", 10, GREY)
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()
