"""Streamed CSV: how every spreadsheet the site writes is made, downloaded and saved.

The claims, links, replies and exercise results CSVs all come through chunks(): UTF-8 text
with CRLF row ends (RFC 4180, the csv module's default dialect), optionally after a byte
order mark, which Excel needs to read accents and curly quotes. Rows are read from any
iterator and written BATCH at a time, so memory stays flat however many rows there are. The
chunks become a download with attachment() or a file with save() (`manage.py
export_annotations`); the JSON-LD exports, also streamed text, go out the same two ways.
Downloads read their switches (?bom=1) with switch().

Text cells are spreadsheet-safe: each writer passes them through escape_cell(), and the
importer reads them back with unescape_cell().

Below every app: it imports only Django and the standard library.
"""

import csv
import re
from itertools import islice

from django.http import StreamingHttpResponse

BATCH = 2000
BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
TRUE = frozenset({"1", "true", "yes", "on"})

# Spreadsheet safety (OWASP, "CSV Injection"): Excel, LibreOffice and Google Sheets run a cell
# as a formula when it starts with one of these, leading white space aside. The full-width
# forms count too: spreadsheets in East Asian locales take them for their ASCII twins.
FORMULA_STARTS = frozenset("=+-@＝＋－＠")
# OWASP's list also has a tab or carriage return first, whatever follows; a line feed is the
# same kind of start.
BREAK_STARTS = frozenset("\t\r\n")
# A leading apostrophe makes a cell text. Cells already starting with one get one more, so
# that dropping exactly one leading apostrophe on import gives back every string unchanged.
ESCAPE = "'"
# One match per cell, as a million-row export writes ten million of them: a formula start
# after any white space (\s is str.isspace(), what lstrip() strips), or a break or an
# apostrophe first.
_NEEDS_ESCAPE = re.compile(
    "\\s*[" + re.escape("".join(sorted(FORMULA_STARTS))) + "]|[" + re.escape("".join(sorted(BREAK_STARTS | {ESCAPE}))) + "]"
).match


def escape_cell(text):
    """`text` made inert for a spreadsheet; unescape_cell() undoes it for every string.

    Every text cell of every CSV the site writes (claims, links, replies, exercise results)
    goes through here.
    """
    return ESCAPE + text if _NEEDS_ESCAPE(text) else text


def unescape_cell(text):
    return text[1:] if text[:1] == ESCAPE else text


def chunks(header, rows, bom=False):
    """The CSV text of `header`, then of `rows` (each a sequence of cells), in chunks of BATCH rows.

    Cells are written as they come: escaping them is the caller's, who knows which are text.
    """
    # The writer's pieces are gathered in a list and joined once per chunk: a StringIO emptied
    # and refilled for every chunk costs a million-row export about a tenth of its time.
    pieces = _Pieces()
    writer = csv.writer(pieces)
    writer.writerow(header)
    yield (BOM if bom else "") + pieces.drain()
    while batch := list(islice(rows, BATCH)):
        writer.writerows(batch)
        yield pieces.drain()


class _Pieces(list):
    """A file-like sink for csv.writer: what it writes, kept until drained."""

    write = list.append

    def drain(self):
        text = "".join(self)
        self.clear()
        return text


def switch(request, name):
    """Whether the query string turns the download's switch `name` on (?bom=1, ?all=yes)."""
    return request.GET.get(name, "").strip().lower() in TRUE


def attachment(text_chunks, filename, content_type=CONTENT_TYPE):
    """A download of `text_chunks`, streamed as UTF-8, that the browser saves as `filename`."""
    response = StreamingHttpResponse((chunk.encode() for chunk in text_chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def save(text_chunks, path):
    """Write `text_chunks` to the file at `path` in UTF-8."""
    # newline="" keeps the CSV's CRLF row ends and the line breaks inside cells as they are.
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.writelines(text_chunks)
