"""annotator.csvstream: how every CSV of the site is chunked, downloaded and saved."""

import csv
import io

import pytest
from django.test import RequestFactory

from annotator import csvstream

ROWS = [[1, "café, “quoted”", None], [2, "two\nlines", 3.5], [3, csvstream.escape_cell("=1+1"), ""]]


def read(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def test_a_csv_comes_as_its_header_then_chunks_of_a_batch_of_rows_each():
    rows = [[n, f"row {n}"] for n in range(2 * csvstream.BATCH + 1)]
    chunks = list(csvstream.chunks(["id", "text"], iter(rows)))
    assert chunks[0] == "id,text\r\n"
    assert [len(read(chunk)) for chunk in chunks[1:]] == [csvstream.BATCH, csvstream.BATCH, 1]
    assert read("".join(chunks)) == [["id", "text"], *([str(n), text] for n, text in rows)]


def test_rows_end_in_crlf_and_cells_keep_their_own_line_breaks():
    text = "".join(csvstream.chunks(["id", "text", "value"], iter(ROWS)))
    assert text == 'id,text,value\r\n1,"café, “quoted”",\r\n2,"two\nlines",3.5\r\n3,\'=1+1,\r\n'


def test_the_byte_order_mark_comes_first_and_only_when_asked():
    assert "".join(csvstream.chunks(["id"], iter([[1]]), bom=True)) == "\ufeffid\r\n1\r\n"
    assert "\ufeff" not in "".join(csvstream.chunks(["id"], iter([[1]])))


def test_a_download_is_an_attachment_streamed_in_utf8():
    response = csvstream.attachment(csvstream.chunks(["text"], iter([["naïve 🌉"]]), bom=True), "notes.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="notes.csv"'
    assert b"".join(response.streaming_content) == "\ufefftext\r\nnaïve 🌉\r\n".encode()


def test_a_saved_file_has_exactly_the_chunks_text(tmp_path):
    path = tmp_path / "out.csv"
    chunks = list(csvstream.chunks(["id", "text", "value"], iter(ROWS), bom=True))
    csvstream.save(iter(chunks), path)
    assert path.read_bytes() == "".join(chunks).encode()


@pytest.mark.parametrize(("query", "on"), [("bom=1", True), ("bom=TRUE", True), ("bom=%20yes%20", True),
                                           ("bom=On", True), ("bom=0", False), ("bom=", False), ("", False),
                                           ("bomb=1", False)])
def test_a_download_switch_is_on_for_1_true_yes_or_on_in_any_case(query, on):
    assert csvstream.switch(RequestFactory().get(f"/export/annotations.csv?{query}"), "bom") is on
