"""Header cells of a task table → column roles (label, content, output, lead, partner, deadline).

Plans order and name their columns differently ("Nội dung, nhiệm vụ",
"Nhiệm vụ/Hoạt động", "Cơ quan chủ trì", "Đơn vị thực hiện", "Thời gian
hoàn thành", "Tiến độ"), and OCR damages them, so roles come from the header
text with keyword rules on folded text plus rapidfuzz for damaged words —
never from column positions.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from parsers.text import fold

ROLE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("other", ("bat dau", "khoi dau")),  # "Thời gian" over "Bắt đầu | Hoàn thành": the start is no deadline
    ("partner", ("phoi hop",)),
    ("output", ("ket qua", "san pham", "hinh thuc")),
    ("deadline", ("thoi gian", "thoi han", "hoan thanh", "tien do")),
    ("lead", ("chu tri", "thuc hien", "don vi thuc hien", "co quan thuc hien", "trach nhiem")),
    ("objective", ("muc tieu", "chi tieu")),
    ("content", ("noi dung", "nhiem vu", "hoat dong", "cong viec", "giai phap")),
    ("label", ("stt", "tt", "so tt")),
    ("other", ("kinh phi", "ghi chu", "nguon")),
)


def role_of_header(text: str) -> str | None:
    """The role a header cell names, or None when it names nothing known.

    "lead_partner" is a merged "Chủ trì/phối hợp" column (`task_table.split_lead_partner`).

    Rules run in order: a start column ("Bắt đầu", under a two-level "Thời gian") is
    no deadline; "Cơ quan phối hợp" is partner before "cơ quan" could
    read as lead; "Kết quả/Sản phẩm hoàn thành" is output, "Thời gian thực
    hiện" is a deadline before "thực hiện" could read as the lead body.
    """
    folded = fold(text).replace("/", " ").replace("-", " ")
    if not folded:
        return None
    words = folded.split()
    if words and words[0] in ("stt", "tt", "so") and len(words) <= 2:
        return "label"
    compact = folded.replace(" ", "")  # OCR glues header words ("Chủtrì", "Nhiệmvụ")
    if "chutri" in compact and "phoihop" in compact:
        return "lead_partner"  # one column for both: "Cơ quan chủ trì/phối hợp"
    for text_form, squeeze in ((folded, False), (compact, True)):
        for role, keywords in ROLE_KEYWORDS:
            for kw in keywords:
                if len(kw) > 3 and (kw.replace(" ", "") if squeeze else kw) in text_form:
                    return role
    best, best_score = None, 80.0
    for role, keywords in ROLE_KEYWORDS:
        for kw in keywords:
            if len(kw) >= 7:
                score = fuzz.partial_ratio(kw.replace(" ", ""), compact)
                if score > best_score:
                    best, best_score = role, score
    return best


def assign_roles(header_texts: list[str]) -> dict[str, int]:
    """Column index per role from the (joined) header text of each column; first column wins a role."""
    roles: dict[str, int] = {}
    for col, text in enumerate(header_texts):
        role = role_of_header(text)
        if role is not None and role not in roles:
            roles[role] = col
    if "content" not in roles and "objective" in roles:
        roles["content"] = roles.pop("objective")
    return roles


def header_score(cells: list[str]) -> int:
    """How many distinct roles a row's cells name: ≥ 3 means it is a header row (or a repeat of one)."""
    found = {role_of_header(c) for c in cells if c and len(c) < 60}
    found.discard(None)
    return len(found)
