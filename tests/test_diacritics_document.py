"""The pipeline restores a document's damaged pages at document scope, and only those."""

from __future__ import annotations

from diacritics import restore_document as restore_pages
from diacritics import restore_page
from diacritics.text import strip_marks
from schema.document import Cell, Page, Table

# Page 1 writes the old tone placement ("Ủy", "hòa", "thỏa"); page 2 alone gives no hint.
OLD_STYLE = "Ủy ban nhân dân tỉnh chủ trì hòa giải, thỏa thuận với các bên; Ủy ban nhân dân huyện phối hợp."
CANCEL = "Hủy bỏ hiệu lực của quyết định chứng nhận chuẩn đo lường."
CLEAN = "Kế hoạch cải cách hành chính năm 2024 của Ủy ban nhân dân tỉnh."


def _page(no: int, text: str, **kw) -> Page:
    return Page(page_no=no, method="text_layer", text=text, **kw)


def test_one_page_alone_takes_the_model_s_one_tone_placement() -> None:
    # the model knows one spelling of "huy" + hỏi (the old placement): a page alone gets it too
    assert restore_page(_page(2, strip_marks(CANCEL))).text == CANCEL


def test_pages_of_one_document_share_its_tone_placement() -> None:
    pages = restore_pages([_page(1, strip_marks(OLD_STYLE)), _page(2, strip_marks(CANCEL))])
    assert [p.text for p in pages] == [OLD_STYLE, CANCEL]
    assert [p.raw_text for p in pages] == [strip_marks(OLD_STYLE), strip_marks(CANCEL)]


def test_clean_and_empty_pages_are_left_as_read_and_order_is_kept() -> None:
    pages = [_page(1, strip_marks(OLD_STYLE)), _page(2, ""), _page(3, CLEAN), _page(4, strip_marks(CANCEL))]
    out = restore_pages(pages)
    assert [p.page_no for p in out] == [1, 2, 3, 4]
    assert out[1] == pages[1] and out[2] == pages[2]  # not restored: no raw_text, same object content
    assert out[3].text == CANCEL


def test_table_cells_are_restored_with_their_page_s_judgement() -> None:
    cell = Cell(row=0, col=0, text="Sở Nội vụ chủ trì")
    table = Table(cells=[cell.model_copy(update={"text": strip_marks(cell.text)})], page=1, n_rows=1, n_cols=1)
    (out,) = restore_pages([_page(1, strip_marks(OLD_STYLE), tables=[table])])
    assert out.tables[0].cells[0].text == "Sở Nội vụ chủ trì"
